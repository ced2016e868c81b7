import DuetProtobuf
import Foundation

/// The parts of a SentencePiece model file (`*.model`, a serialised `ModelProto` from
/// `sentencepiece_model.proto`) that Duet's unigram pipeline reads: the pieces with their scores and
/// types (field 1), the trainer's model type and special ids (field 2) and the normaliser (field 3).
/// Unknown fields are skipped, as protobuf readers do; a missing field takes the proto's default.
public struct SentencePieceModelFile: Sendable {
    /// `ModelProto.SentencePiece.Type`.
    public enum PieceType: Int, Sendable {
        case normal = 1, unknown, control, userDefined, unused, byte
    }

    public struct Piece: Sendable {
        public var text: String
        public var score: Float
        public var type: PieceType
    }

    public var pieces: [Piece] = []
    /// `TrainerSpec.model_type`: 1 unigram, 2 BPE, 3 word, 4 char.
    public var modelType = 1
    public var unknownIdentifier: Int32 = 0
    public var beginIdentifier: Int32 = 1
    public var endIdentifier: Int32 = 2
    public var paddingIdentifier: Int32 = -1
    public var byteFallback = false
    public var treatsWhitespaceAsSuffix = false
    /// `NormalizerSpec`.
    public var normalizerName = ""
    public var precompiledCharsMap: [UInt8] = []
    public var addsDummyPrefix = true
    public var removesExtraWhitespaces = true
    public var escapesWhitespaces = true

    /// Reads and parses the file at `url`.
    /// - Throws: `TokenizerError.unreadableFile`, or `.malformedFile` naming what is wrong.
    public init(url: URL) throws(TokenizerError) {
        let bytes: [UInt8]
        do {
            bytes = [UInt8](try Data(contentsOf: url))
        } catch {
            throw .unreadableFile(path: url.path, reason: error.localizedDescription)
        }
        do {
            try self.init(bytes: bytes[...])
        } catch let error as ProtobufWireReader.WireError {
            throw .malformedFile(path: url.path, reason: "not a SentencePiece model (\(error))")
        } catch let error as FieldError {
            throw .malformedFile(path: url.path, reason: error.description)
        } catch {
            throw .malformedFile(path: url.path, reason: "\(error)")
        }
        guard !pieces.isEmpty else { throw .malformedFile(path: url.path, reason: "the model has no pieces") }
    }

    struct FieldError: Error, CustomStringConvertible {
        let description: String
    }

    init(bytes: ArraySlice<UInt8>) throws {
        var reader = ProtobufWireReader(bytes)
        while !reader.isAtEnd {
            switch try reader.nextField() {
            case let .bytes(1, value): pieces.append(try Self.piece(value, index: pieces.count))
            case let .bytes(2, value): try readTrainer(value)
            case let .bytes(3, value): try readNormalizer(value)
            case let .integer(number, _) where [1, 2, 3].contains(number):
                throw FieldError(description: "field \(number) of ModelProto is a message but was stored as a number")
            default: continue
            }
        }
    }

    static func text(_ value: ArraySlice<UInt8>, field: String) throws -> String {
        guard let text = String(validating: value, as: UTF8.self) else { throw FieldError(description: "\(field) is not UTF-8") }
        return text
    }

    static func identifier(_ value: UInt64) -> Int32 { Int32(truncatingIfNeeded: Int64(bitPattern: value)) }

    static func piece(_ bytes: ArraySlice<UInt8>, index: Int) throws -> Piece {
        var reader = ProtobufWireReader(bytes)
        var piece = Piece(text: "", score: 0, type: .normal)
        while !reader.isAtEnd {
            switch try reader.nextField() {
            case let .bytes(1, value): piece.text = try text(value, field: "piece \(index)")
            case let .integer(2, value): piece.score = Float(bitPattern: UInt32(truncatingIfNeeded: value))
            case let .integer(3, value):
                guard let type = PieceType(rawValue: Int(truncatingIfNeeded: value)) else {
                    throw FieldError(description: "piece \(index) (\"\(piece.text)\") has the unknown type \(value)")
                }
                piece.type = type
            default: continue
            }
        }
        return piece
    }

    mutating func readTrainer(_ bytes: ArraySlice<UInt8>) throws {
        var reader = ProtobufWireReader(bytes)
        while !reader.isAtEnd {
            switch try reader.nextField() {
            case let .integer(3, value): modelType = Int(truncatingIfNeeded: value)
            case let .integer(24, value): treatsWhitespaceAsSuffix = value != 0
            case let .integer(35, value): byteFallback = value != 0
            case let .integer(40, value): unknownIdentifier = Self.identifier(value)
            case let .integer(41, value): beginIdentifier = Self.identifier(value)
            case let .integer(42, value): endIdentifier = Self.identifier(value)
            case let .integer(43, value): paddingIdentifier = Self.identifier(value)
            default: continue
            }
        }
    }

    mutating func readNormalizer(_ bytes: ArraySlice<UInt8>) throws {
        var reader = ProtobufWireReader(bytes)
        while !reader.isAtEnd {
            switch try reader.nextField() {
            case let .bytes(1, value): normalizerName = try Self.text(value, field: "the normaliser's name")
            case let .bytes(2, value): precompiledCharsMap = Array(value)
            case let .integer(3, value): addsDummyPrefix = value != 0
            case let .integer(4, value): removesExtraWhitespaces = value != 0
            case let .integer(5, value): escapesWhitespaces = value != 0
            default: continue
            }
        }
    }
}
