import Foundation

/// A value the restricted pickle machine (``PickleMachine``) builds: Python's plain data types, the
/// globals it was allowed to name, and the torch objects rebuilt from them. Nothing here can run code.
///
/// Lists and dictionaries are references, as in Python: a pickle memoises a container and then fills it,
/// and every reference to it must see the items.
enum PickleValue {
    case none
    case boolean(Bool)
    case integer(Int)
    /// An integer beyond 64 bits (LONG1/LONG4), kept as its little-endian two's-complement bytes.
    case largeInteger([UInt8])
    case float(Double)
    case string(String)
    case bytes([UInt8])
    case tuple([PickleValue])
    case list(PickleList)
    case dictionary(PickleDictionary)
    /// A whitelisted global named by GLOBAL or STACK_GLOBAL, as `module.name`; only ever a name.
    case global(String)
    /// A torch storage that BINPERSID referred to.
    case storage(TorchStorageReference)
    /// A tensor rebuilt by `torch._utils._rebuild_tensor_v2`: its storage and its view of it.
    case tensor(TorchTensorReference)

    /// A short description for error messages.
    var kind: String {
        switch self {
        case .none: "None"
        case .boolean: "bool"
        case .integer, .largeInteger: "int"
        case .float: "float"
        case .string: "str"
        case .bytes: "bytes"
        case .tuple(let items): "tuple of \(items.count)"
        case .list: "list"
        case .dictionary: "dict"
        case .global(let name): name
        case .storage: "storage"
        case .tensor: "tensor"
        }
    }

    /// The key a dictionary files this value under: strings and integers by value, booleans as the
    /// integers they equal (Python's `True == 1`); `nil` for other keys (tuples, None, floats), which a
    /// state dict never uses and which are kept side by side without merging.
    var dictionaryKey: PickleKey? {
        switch self {
        case .string(let text): .string(text)
        case .integer(let value): .integer(value)
        case .boolean(let value): .integer(value ? 1 : 0)
        default: nil
        }
    }

    /// The key as a tensor-name component.
    var nameComponent: String {
        switch self {
        case .string(let text): text
        case .integer(let value): String(value)
        case .boolean(let value): value ? "True" : "False"
        case .float(let value): "\(value)"
        default: kind
        }
    }
}

/// How a ``PickleDictionary`` compares keys.
enum PickleKey: Hashable {
    case string(String)
    case integer(Int)
}

/// A Python list being built by a pickle.
final class PickleList {
    var items: [PickleValue]

    init(_ items: [PickleValue] = []) { self.items = items }
}

/// A Python dict (or `collections.OrderedDict`) being built by a pickle, in insertion order; setting an
/// existing key replaces its value in place, as Python does.
final class PickleDictionary {
    private(set) var keys: [PickleValue] = []
    private(set) var values: [PickleValue] = []
    private var positions: [PickleKey: Int] = [:]

    init() {}

    func set(_ value: PickleValue, for key: PickleValue) {
        if let identity = key.dictionaryKey {
            if let position = positions[identity] {
                values[position] = value
                return
            }
            positions[identity] = keys.count
        }
        keys.append(key)
        values.append(value)
    }

    /// The value under the string `key`, or `nil`.
    func value(for key: String) -> PickleValue? { positions[.string(key)].map { values[$0] } }

    /// The value under `component` of a key path: the string key, else the integer it spells (an
    /// optimizer's per-parameter states sit under integer keys).
    func value(forComponent component: String) -> PickleValue? {
        if let value = value(for: component) { return value }
        return Int(component).flatMap { positions[.integer($0)] }.map { values[$0] }
    }

    var count: Int { keys.count }

    /// The pairs in insertion order.
    var pairs: Zip2Sequence<[PickleValue], [PickleValue]> { zip(keys, values) }
}
