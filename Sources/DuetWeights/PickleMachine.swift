import Foundation

/// What a restricted pickle may name and call. The machine itself knows no Python objects: every GLOBAL
/// is looked up here (a `nil` answer refuses it), and REDUCE, NEWOBJ, BUILD and BINPERSID are answered
/// here with plain values. ``TorchPickleGlobals`` is the whitelist for `torch.save` checkpoints.
protocol PickleGlobals {
    /// The value GLOBAL `module name` pushes (`name` as `module.name`), or `nil` to refuse it.
    func global(_ name: String) -> PickleValue?
    /// The result of calling the whitelisted global `callable` (REDUCE, or NEWOBJ on a class).
    func call(_ callable: String, arguments: [PickleValue]) throws(PickleCallFailure) -> PickleValue
    /// The object a persistent id stands for (BINPERSID).
    func persistentLoad(_ identifier: PickleValue) throws(PickleCallFailure) -> PickleValue
    /// `object` after BUILD applied `state` to it.
    func build(_ object: PickleValue, state: PickleValue) throws(PickleCallFailure) -> PickleValue
}

/// Why a whitelisted call could not be answered (wrong arguments, a storage Duet does not read).
struct PickleCallFailure: Error {
    var reason: String
}

/// A pickle virtual machine that builds data and never runs code (Python's `pickle` format, as documented
/// in CPython's `Lib/pickletools.py`).
///
/// It implements the opcodes `torch.save` writes (protocol 2, with PROTO/FRAME/MEMOIZE and the short forms
/// of later protocols): containers (MARK, EMPTY_DICT/LIST/TUPLE, DICT, LIST, TUPLE, TUPLE1-3, SETITEM(S),
/// APPEND(S)), scalars (BININT, BININT1, BININT2, LONG1, LONG4, BINFLOAT, NONE, NEWTRUE, NEWFALSE), strings
/// and bytes (BINUNICODE, SHORT_BINUNICODE, BINUNICODE8, BINSTRING, SHORT_BINSTRING, BINBYTES,
/// SHORT_BINBYTES, BINBYTES8), the memo (BINPUT, LONG_BINPUT, BINGET, LONG_BINGET, MEMOIZE), stack
/// (POP, POP_MARK, DUP), and the object opcodes GLOBAL, STACK_GLOBAL, REDUCE, NEWOBJ, BUILD and BINPERSID,
/// which only consult ``PickleGlobals``. Any other opcode stops the machine with its byte offset.
struct PickleMachine {
    let bytes: [UInt8]
    /// The file named in errors.
    let path: String
    let globals: PickleGlobals

    private var position = 0
    private var stack: [PickleValue] = []
    private var marks: [[PickleValue]] = []
    private var memo: [Int: PickleValue] = [:]

    init(bytes: [UInt8], path: String, globals: PickleGlobals) {
        self.bytes = bytes
        self.path = path
        self.globals = globals
    }

    /// Runs the pickle to its STOP and returns the value it left.
    mutating func run() throws -> PickleValue {
        while position < bytes.count {
            let start = position
            let opcode = bytes[position]
            position += 1
            do {
                if let result = try step(opcode, at: start) { return result }
            } catch let failure as PickleCallFailure {
                throw TorchCheckpointError.malformedPickle(path: path, offset: start, reason: failure.reason)
            }
        }
        throw TorchCheckpointError.malformedPickle(path: path, offset: position, reason: "the pickle ends without STOP")
    }

    /// Executes one opcode; returns the result at STOP.
    private mutating func step(_ opcode: UInt8, at start: Int) throws -> PickleValue? {
        switch opcode {
        case 0x80:  // PROTO
            let version = try read(1)[0]
            guard version <= 5 else { throw malformed(start, "pickle protocol \(version) is newer than 5") }
        case 0x95:  // FRAME: a length hint for buffered readers; the bytes follow inline.
            _ = try read(8)
        case 0x2E:  // STOP
            return try pop(start)
        case 0x28:  // MARK
            marks.append(stack)
            stack = []
        case 0x7D:  // EMPTY_DICT
            stack.append(.dictionary(PickleDictionary()))
        case 0x5D:  // EMPTY_LIST
            stack.append(.list(PickleList()))
        case 0x29:  // EMPTY_TUPLE
            stack.append(.tuple([]))
        case 0x74:  // TUPLE
            stack.append(.tuple(try popMark(start)))
        case 0x85, 0x86, 0x87:  // TUPLE1, TUPLE2, TUPLE3
            let count = Int(opcode - 0x84)
            guard stack.count >= count else { throw malformed(start, "TUPLE\(count) with \(stack.count) items on the stack") }
            let items = Array(stack.suffix(count))
            stack.removeLast(count)
            stack.append(.tuple(items))
        case 0x6C:  // LIST
            stack.append(.list(PickleList(try popMark(start))))
        case 0x64:  // DICT
            let items = try popMark(start)
            let dictionary = PickleDictionary()
            try fill(dictionary, with: items, at: start)
            stack.append(.dictionary(dictionary))
        case 0x73:  // SETITEM
            let value = try pop(start), key = try pop(start)
            try fill(try topDictionary(start), with: [key, value], at: start)
        case 0x75:  // SETITEMS
            let items = try popMark(start)
            try fill(try topDictionary(start), with: items, at: start)
        case 0x61:  // APPEND
            let value = try pop(start)
            try topList(start).items.append(value)
        case 0x65:  // APPENDS
            let items = try popMark(start)
            try topList(start).items.append(contentsOf: items)
        case 0x4A:  // BININT: signed 32-bit
            stack.append(.integer(Int(Int32(bitPattern: UInt32(try littleEndian(4))))))
        case 0x4B:  // BININT1: unsigned 8-bit
            stack.append(.integer(Int(try littleEndian(1))))
        case 0x4D:  // BININT2: unsigned 16-bit
            stack.append(.integer(Int(try littleEndian(2))))
        case 0x8A:  // LONG1: a byte count, then two's-complement little-endian bytes
            stack.append(Self.integer(fromTwosComplement: try read(Int(try littleEndian(1)))))
        case 0x8B:  // LONG4
            let count = Int(Int32(bitPattern: UInt32(try littleEndian(4))))
            guard count >= 0 else { throw malformed(start, "LONG4 with a negative length") }
            stack.append(Self.integer(fromTwosComplement: try read(count)))
        case 0x47:  // BINFLOAT: big-endian IEEE double
            let raw = try read(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
            stack.append(.float(Double(bitPattern: raw)))
        case 0x58:  // BINUNICODE
            stack.append(.string(try text(Int(try littleEndian(4)), at: start)))
        case 0x8C:  // SHORT_BINUNICODE
            stack.append(.string(try text(Int(try littleEndian(1)), at: start)))
        case 0x8D:  // BINUNICODE8
            stack.append(.string(try text(try length(8, at: start), at: start)))
        case 0x54:  // BINSTRING: Python 2 str, bytes decoded as Latin-1 like pickle's default for them
            let count = Int(Int32(bitPattern: UInt32(try littleEndian(4))))
            guard count >= 0 else { throw malformed(start, "BINSTRING with a negative length") }
            stack.append(.string(String(try read(count).map { Character(Unicode.Scalar($0)) })))
        case 0x55:  // SHORT_BINSTRING
            stack.append(.string(String(try read(Int(try littleEndian(1))).map { Character(Unicode.Scalar($0)) })))
        case 0x42:  // BINBYTES
            stack.append(.bytes(try read(Int(try littleEndian(4)))))
        case 0x43:  // SHORT_BINBYTES
            stack.append(.bytes(try read(Int(try littleEndian(1)))))
        case 0x8E:  // BINBYTES8
            stack.append(.bytes(try read(try length(8, at: start))))
        case 0x4E:  // NONE
            stack.append(.none)
        case 0x88:  // NEWTRUE
            stack.append(.boolean(true))
        case 0x89:  // NEWFALSE
            stack.append(.boolean(false))
        case 0x63:  // GLOBAL: "module\nname\n"
            let module = try line(start), name = try line(start)
            try pushGlobal(module + "." + name, at: start)
        case 0x93:  // STACK_GLOBAL
            guard case .string(let name) = try pop(start), case .string(let module) = try pop(start) else {
                throw malformed(start, "STACK_GLOBAL needs two strings")
            }
            try pushGlobal(module + "." + name, at: start)
        case 0x52:  // REDUCE: callable(*arguments)
            let arguments = try pop(start), callable = try pop(start)
            stack.append(try call(callable, arguments, at: start))
        case 0x81:  // NEWOBJ: cls.__new__(cls, *arguments); only whitelisted classes, answered like a call
            let arguments = try pop(start), type = try pop(start)
            stack.append(try call(type, arguments, at: start))
        case 0x62:  // BUILD: object.__setstate__(state)
            let state = try pop(start), object = try pop(start)
            stack.append(try globals.build(object, state: state))
        case 0x51:  // BINPERSID
            stack.append(try globals.persistentLoad(try pop(start)))
        case 0x71:  // BINPUT
            memo[Int(try littleEndian(1))] = try top(start)
        case 0x72:  // LONG_BINPUT
            memo[Int(try littleEndian(4))] = try top(start)
        case 0x94:  // MEMOIZE
            memo[memo.count] = try top(start)
        case 0x68, 0x6A:  // BINGET, LONG_BINGET
            let index = Int(try littleEndian(opcode == 0x68 ? 1 : 4))
            guard let value = memo[index] else { throw malformed(start, "memo entry \(index) was never stored") }
            stack.append(value)
        case 0x30:  // POP
            if stack.isEmpty, !marks.isEmpty { _ = try popMark(start) } else { _ = try pop(start) }
        case 0x31:  // POP_MARK
            _ = try popMark(start)
        case 0x32:  // DUP
            stack.append(try top(start))
        default:
            throw TorchCheckpointError.unknownOpcode(path: path, opcode: opcode, offset: start)
        }
        return nil
    }

    private mutating func pushGlobal(_ name: String, at start: Int) throws {
        guard let value = globals.global(name) else {
            throw TorchCheckpointError.refusedGlobal(path: path, name: name, offset: start)
        }
        stack.append(value)
    }

    private func call(_ callable: PickleValue, _ arguments: PickleValue, at start: Int) throws -> PickleValue {
        guard case .global(let name) = callable else { throw malformed(start, "a call of a \(callable.kind), not of a global") }
        guard case .tuple(let items) = arguments else { throw malformed(start, "the arguments of \(name) are a \(arguments.kind), not a tuple") }
        return try globals.call(name, arguments: items)
    }

    private func fill(_ dictionary: PickleDictionary, with items: [PickleValue], at start: Int) throws {
        guard items.count % 2 == 0 else { throw malformed(start, "an odd number of items for a dict (\(items.count))") }
        for pair in stride(from: 0, to: items.count, by: 2) { dictionary.set(items[pair + 1], for: items[pair]) }
    }

    private func topDictionary(_ start: Int) throws -> PickleDictionary {
        guard case .dictionary(let dictionary) = try top(start) else {
            throw malformed(start, "setting items on a \(stack.last?.kind ?? "nothing"), not a dict")
        }
        return dictionary
    }

    private func topList(_ start: Int) throws -> PickleList {
        guard case .list(let list) = try top(start) else { throw malformed(start, "appending to a \(stack.last?.kind ?? "nothing"), not a list") }
        return list
    }

    private func top(_ start: Int) throws -> PickleValue {
        guard let value = stack.last else { throw malformed(start, "the stack is empty") }
        return value
    }

    private mutating func pop(_ start: Int) throws -> PickleValue {
        guard let value = stack.popLast() else { throw malformed(start, "the stack is empty") }
        return value
    }

    /// The items pushed since the last MARK, restoring the stack beneath it.
    private mutating func popMark(_ start: Int) throws -> [PickleValue] {
        guard let below = marks.popLast() else { throw malformed(start, "no MARK to pop to") }
        let items = stack
        stack = below
        return items
    }

    private mutating func read(_ count: Int) throws -> [UInt8] {
        guard count >= 0, count <= bytes.count - position else {
            throw TorchCheckpointError.malformedPickle(
                path: path, offset: position, reason: "needs \(count) more bytes, \(bytes.count - position) remain (truncated)")
        }
        defer { position += count }
        return Array(bytes[position..<(position + count)])
    }

    private mutating func littleEndian(_ width: Int) throws -> UInt64 {
        try read(width).reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
    }

    private mutating func length(_ width: Int, at start: Int) throws -> Int {
        let value = try littleEndian(width)
        guard value <= UInt64(bytes.count) else { throw malformed(start, "a length of \(value) bytes in a \(bytes.count)-byte pickle") }
        return Int(value)
    }

    private mutating func text(_ count: Int, at start: Int) throws -> String {
        let raw = try read(count)
        guard let text = String(validating: raw, as: UTF8.self) else { throw malformed(start, "a string that is not UTF-8") }
        return text
    }

    /// A newline-terminated ASCII line (GLOBAL's module and name).
    private mutating func line(_ start: Int) throws -> String {
        guard let end = bytes[position...].firstIndex(of: 0x0A) else { throw malformed(start, "GLOBAL without a newline") }
        let raw = Array(bytes[position..<end])
        position = end + 1
        guard raw.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) else { throw malformed(start, "GLOBAL with a non-ASCII name") }
        return String(decoding: raw, as: UTF8.self)
    }

    /// LONG1/LONG4's little-endian two's complement, as an `Int` when it fits.
    static func integer(fromTwosComplement raw: [UInt8]) -> PickleValue {
        guard !raw.isEmpty else { return .integer(0) }
        guard raw.count <= 8 else { return .largeInteger(raw) }
        var value: UInt64 = 0
        for (index, byte) in raw.enumerated() { value |= UInt64(byte) << (8 * UInt64(index)) }
        if raw.count < 8, raw.last! & 0x80 != 0 { value |= ~UInt64(0) << (8 * UInt64(raw.count)) }
        return .integer(Int(Int64(bitPattern: value)))
    }

    private func malformed(_ offset: Int, _ reason: String) -> TorchCheckpointError {
        .malformedPickle(path: path, offset: offset, reason: reason)
    }
}
