import DuetStudy
import Foundation
import Hummingbird

/// The study server's route handlers over a ``StudyStore``: participants, their next comparison, answers and
/// clip audio. Systems are resolved on the server; the page only ever sees prompts, sides and clip ids.
struct StudyHandlers: Sendable {
    let store: StudyStore
    let limits: ServerLimits
    let assets: PageAssets
    let fileIO = FileIO()

    func respond(_ route: StudyRoute, _ request: Request, _ context: some RequestContext) async throws -> Response {
        switch route {
        case .page, .script, .style:
            try QueryParameters(request.uri.query).requireOnly([])
            let kind: PageAssets.Kind =
                switch route {
                case .script: .script
                case .style: .style
                default: .page
                }
            return assets.response(for: kind)
        case .health:
            return JSONBody.response(HealthResponse(status: "ok"))
        case .info:
            try QueryParameters(request.uri.query).requireOnly([])
            return JSONBody.response(
                StudyInfoResponse(prompts: store.plan.prompts.count, comparisonsPerParticipant: store.plan.sessionLength))
        case .participants:
            try QueryParameters(request.uri.query).requireOnly([])
            let participant = try store.addParticipant()
            return JSONBody.response(try next(for: participant), status: .created)
        case .next:
            try QueryParameters(request.uri.query).requireOnly([])
            return JSONBody.response(try next(for: try participant(context)))
        case .answers:
            try QueryParameters(request.uri.query).requireOnly([])
            let participant = try participant(context)
            let answer = try await answerRequest(request, context)
            guard let choice = StudyChoice(rawValue: answer.choice) else {
                throw APIError.badRequest("'choice' must be \"left\", \"right\" or \"tie\", got '\(QueryParameters.clip(answer.choice))'")
            }
            do {
                try store.record(participant: participant.id, trial: answer.trial, choice: choice)
            } catch let error as StudyError {
                throw Self.apiError(error)
            }
            return JSONBody.response(try next(for: participant))
        case .audio:
            try QueryParameters(request.uri.query).requireOnly([])
            let raw = context.parameters.get("id") ?? ""
            guard let id = Int(raw), id > 0 else {
                throw APIError.badRequest("a clip id is a positive whole number, got '\(QueryParameters.clip(raw))'")
            }
            guard let clip = store.plan.clip(id: id) else { throw APIError.notFound("no clip with id \(id) in this study") }
            return try await AudioFileResponse.respond(
                file: URL(fileURLWithPath: clip.audio),
                missing: APIError.notFound("the audio file of clip \(id) is missing on disk; the study's audio must stay where it was"),
                request: request, context: context, fileIO: fileIO)
        }
    }

    /// The participant named in the path: 32 lowercase hex digits, registered in this study.
    private func participant(_ context: some RequestContext) throws -> StudyParticipant {
        let raw = context.parameters.get("participant") ?? ""
        guard raw.count == 32, raw.unicodeScalars.allSatisfy({ "0123456789abcdef".unicodeScalars.contains($0) }) else {
            throw APIError.badRequest("a participant id is 32 lowercase hexadecimal digits, got '\(QueryParameters.clip(raw))'")
        }
        guard let participant = try store.participant(id: raw) else {
            throw APIError.notFound("no participant '\(raw)' in this study; start again from the study page")
        }
        return participant
    }

    /// The progress and next unanswered comparison of a participant's schedule.
    private func next(for participant: StudyParticipant) throws -> StudyNextResponse {
        let plan = store.plan
        let schedule = plan.schedule(participant: participant.number)
        let answered = try store.answeredTrials(participant: participant.id)
        var comparison: StudyNextResponse.Comparison?
        if let scheduled = schedule.first(where: { !answered.contains($0.trial) }), let trial = plan.trial(id: scheduled.trial),
            let prompt = plan.prompt(id: trial.prompt)
        {
            let sides = trial.sides(mirrored: scheduled.mirrored)
            func audio(_ system: String) -> String {
                let clip = prompt.clips[system].flatMap { plan.clip(id: $0) }
                return StudyRoute.audioPath(clip: clip?.id ?? 0, start: clip?.start, end: clip?.end)
            }
            comparison = .init(trial: trial.id, prompt: prompt.text, left: audio(sides.left), right: audio(sides.right))
        }
        return StudyNextResponse(
            participant: participant.id, answered: schedule.filter { answered.contains($0.trial) }.count, total: schedule.count,
            comparison: comparison)
    }

    private func answerRequest(_ request: Request, _ context: some RequestContext) async throws -> StudyAnswerRequest {
        // A JSON content type makes a cross-site form post impossible (it would need a CORS preflight, which is refused).
        guard let type = request.headers[.contentType], type.lowercased().hasPrefix("application/json") else {
            throw APIError(.unsupportedMediaType, "send the answer as Content-Type: application/json")
        }
        let buffer = try await request.body.collect(upTo: limits.maximumBodyBytes)
        do {
            return try JSONDecoder().decode(StudyAnswerRequest.self, from: Data(buffer.readableBytesView))
        } catch {
            throw APIError.badRequest(#"the body must be JSON {"trial": <id>, "choice": "left" | "right" | "tie"}"#)
        }
    }

    static func apiError(_ error: StudyError) -> APIError {
        switch error {
        case .unknownParticipant, .unknownClip: APIError(.notFound, error.localizedDescription)
        case .conflictingAnswer: APIError(.conflict, error.localizedDescription)
        default: APIError(.badRequest, error.localizedDescription)
        }
    }
}
