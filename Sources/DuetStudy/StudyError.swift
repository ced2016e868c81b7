import Foundation

/// Why a listening study cannot be created, opened, answered or reported; each message names what to change.
public enum StudyError: Error, LocalizedError, Equatable, Sendable {
    case invalidSystemSpecification(String)
    case reservedSystemName(String)
    case duplicateSystemName(String)
    case tooFewSystems(count: Int)
    case missingCheckpoint(system: String, path: String)
    case tooFewItems(dataset: String, split: String, available: Int, requested: Int)
    case invalidCount(option: String, value: Int, range: ClosedRange<Int>)
    case cannotOpen(path: String, reason: String)
    case notAStudy(path: String)
    case newerSchema(path: String, migration: String)
    case unknownParticipant(String)
    case unknownTrial(participant: String, trial: Int)
    case conflictingAnswer(participant: String, trial: Int, stored: String)
    case unknownClip(Int)

    public var errorDescription: String? {
        switch self {
        case .invalidSystemSpecification(let spec):
            "--system '\(spec)' is not NAME=CHECKPOINT (e.g. A=runs/demo/best) or 'truth'; names use letters, digits, '-', '_' or '.', at most 32"
        case .reservedSystemName(let name):
            "--system \(name)=...: '\(name)' is reserved for the ground truth; give it alone (--system truth) or choose another name"
        case .duplicateSystemName(let name):
            "--system \(name) is given twice; every system needs its own name"
        case .tooFewSystems(let count):
            "a study compares at least two systems (got \(count)); repeat --system, e.g. --system A=RUN1/best --system truth"
        case .missingCheckpoint(let system, let path):
            "--system \(system)=\(path): no checkpoint there (expected config.json and model.safetensors); train one with `duet train`"
        case .tooFewItems(let dataset, let split, let available, let requested):
            "\(dataset): the \(split) split has \(available) clips with captions, too few for \(requested) prompts "
                + "(each prompt needs its own clip, and retrieval needs at least 2); lower --prompts or use a larger split"
        case .invalidCount(let option, let value, let range):
            "\(option) must be from \(range.lowerBound) to \(range.upperBound) (got \(value))"
        case .cannotOpen(let path, let reason):
            "cannot open the study \(path): \(reason)"
        case .notAStudy(let path):
            "\(path) holds no study plan; create one with `duet study create ... -o \(path)`"
        case .newerSchema(let path, let migration):
            "\(path) was written by a newer Duet (schema step '\(migration)'); update Duet to read it"
        case .unknownParticipant(let id):
            "no participant '\(id.prefix(64))' in this study; start again from the study page"
        case .unknownTrial(let participant, let trial):
            "trial \(trial) is not in the schedule of participant '\(participant.prefix(64))'"
        case .conflictingAnswer(let participant, let trial, let stored):
            "participant '\(participant.prefix(64))' already answered trial \(trial) with '\(stored)'; answers are final"
        case .unknownClip(let id):
            "no clip with id \(id) in this study"
        }
    }
}
