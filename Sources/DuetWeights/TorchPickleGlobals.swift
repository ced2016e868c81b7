import Foundation

/// The globals a `torch.save` checkpoint may name, and the rebuild of its tensors: the whitelist behind
/// ``PickleMachine`` for PyTorch files.
///
/// Allowed, and what they produce (none of them runs code; each is answered with plain data):
/// - `collections.OrderedDict` → an empty dictionary (a state dict; BUILD's `_metadata` state is dropped);
/// - `torch._utils._rebuild_tensor_v2(storage, storage_offset, size, stride, requires_grad,
///   backward_hooks[, metadata])` → a ``TorchTensorReference`` (torch/_utils.py);
/// - `torch._utils._rebuild_tensor(storage, storage_offset, size, stride)` → the same (older writers);
/// - `torch._utils._rebuild_parameter(data, requires_grad, backward_hooks)` and
///   `_rebuild_parameter_with_state(…, state)` → `data` (an `nn.Parameter` is its tensor);
/// - `torch._tensor._rebuild_from_type_v2(function, type, arguments, state)` with `type` `torch.Tensor` or
///   `torch.nn.parameter.Parameter` → `function(*arguments)` where `function` is itself on this list;
/// - `torch.<Type>Storage` (``TorchStorageType``), `torch.UntypedStorage` → names only, in persistent ids;
/// - `torch.device(name)` → the string `name`.
/// Every other global is refused by name before anything else happens.
struct TorchPickleGlobals: PickleGlobals {
    static let orderedDictionary = "collections.OrderedDict"
    static let rebuildTensorV2 = "torch._utils._rebuild_tensor_v2"
    static let rebuildTensor = "torch._utils._rebuild_tensor"
    static let rebuildParameter = "torch._utils._rebuild_parameter"
    static let rebuildParameterWithState = "torch._utils._rebuild_parameter_with_state"
    static let rebuildFromType = "torch._tensor._rebuild_from_type_v2"
    static let tensorTypes: Set<String> = ["torch.Tensor", "torch._tensor.Tensor", "torch.nn.parameter.Parameter"]
    static let device = "torch.device"

    static let callables: Set<String> = [
        orderedDictionary, rebuildTensorV2, rebuildTensor, rebuildParameter, rebuildParameterWithState, rebuildFromType, device,
    ]

    func global(_ name: String) -> PickleValue? {
        if Self.callables.contains(name) || Self.tensorTypes.contains(name) || TorchStorageType(globalName: name) != nil {
            return .global(name)
        }
        return nil
    }

    func call(_ callable: String, arguments: [PickleValue]) throws(PickleCallFailure) -> PickleValue {
        switch callable {
        case Self.orderedDictionary:
            // OrderedDict() or OrderedDict([(key, value), ...]).
            let dictionary = PickleDictionary()
            if let pairs = arguments.first {
                guard arguments.count == 1, case .list(let list) = pairs else {
                    throw PickleCallFailure(reason: "OrderedDict called with \(arguments.map(\.kind))")
                }
                for pair in list.items {
                    guard case .tuple(let items) = pair, items.count == 2 else {
                        throw PickleCallFailure(reason: "OrderedDict item is a \(pair.kind), not a (key, value) tuple")
                    }
                    dictionary.set(items[1], for: items[0])
                }
            }
            return .dictionary(dictionary)
        case Self.rebuildTensorV2, Self.rebuildTensor:
            return .tensor(try tensor(arguments, callable: callable))
        case Self.rebuildParameter, Self.rebuildParameterWithState:
            guard let data = arguments.first, case .tensor = data else {
                throw PickleCallFailure(reason: "\(callable) called without a tensor (\(arguments.map(\.kind)))")
            }
            return data
        case Self.rebuildFromType:
            guard arguments.count == 4, case .global(let function) = arguments[0], case .global(let type) = arguments[1],
                  case .tuple(let inner) = arguments[2], Self.tensorTypes.contains(type), function != Self.rebuildFromType
            else { throw PickleCallFailure(reason: "\(callable) called with \(arguments.map(\.kind))") }
            return try call(function, arguments: inner)
        case Self.device:
            guard case .string(let name)? = arguments.first else { throw PickleCallFailure(reason: "torch.device called without a name") }
            return .string(name)
        default:
            throw PickleCallFailure(reason: "\(callable) is a name, not a function Duet calls")
        }
    }

    /// `("storage", torch.<Type>Storage, key, location, element count)`, as torch/serialization.py's
    /// `persistent_id` writes it.
    func persistentLoad(_ identifier: PickleValue) throws(PickleCallFailure) -> PickleValue {
        guard case .tuple(let items) = identifier, items.count == 5, case .string("storage") = items[0],
              case .global(let typeName) = items[1], case .string(let key) = items[2], case .integer(let count) = items[4], count >= 0
        else { throw PickleCallFailure(reason: "persistent id \(identifier.kind) is not a torch storage tuple") }
        guard let type = TorchStorageType(globalName: typeName) else {
            throw PickleCallFailure(reason: "storage type \(typeName) is not one Duet reads")
        }
        // Keys are decimal numbers in torch's writer; anything else could reach outside data/ once joined to a path.
        guard !key.isEmpty, key.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }) else {
            throw PickleCallFailure(reason: "storage key '\(key)' is not a plain name")
        }
        let location: String
        if case .string(let name) = items[3] { location = name } else { location = items[3].kind }
        return .storage(TorchStorageReference(type: type, key: key, location: location, elementCount: count))
    }

    /// A state dict's `_metadata` (BUILD on an OrderedDict) and a tensor's Python attributes are dropped.
    func build(_ object: PickleValue, state: PickleValue) throws(PickleCallFailure) -> PickleValue {
        switch object {
        case .dictionary, .tensor: return object
        default: throw PickleCallFailure(reason: "BUILD on a \(object.kind)")
        }
    }

    private func tensor(_ arguments: [PickleValue], callable: String) throws(PickleCallFailure) -> TorchTensorReference {
        guard arguments.count >= 4, case .storage(let storage) = arguments[0], case .integer(let offset) = arguments[1],
              let shape = Self.integers(arguments[2]), let strides = Self.integers(arguments[3])
        else { throw PickleCallFailure(reason: "\(callable) called with \(arguments.map(\.kind))") }
        guard shape.count == strides.count else {
            throw PickleCallFailure(reason: "\(callable) with \(shape.count) sizes but \(strides.count) strides")
        }
        return TorchTensorReference(storage: storage, offset: offset, shape: shape, strides: strides)
    }

    private static func integers(_ value: PickleValue) -> [Int]? {
        guard case .tuple(let items) = value else { return nil }
        var result: [Int] = []
        for item in items {
            guard case .integer(let number) = item else { return nil }
            result.append(number)
        }
        return result
    }
}
