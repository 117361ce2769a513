import Foundation

/// An access token the emulator issued.
struct AccessToken: Sendable {
    var refreshToken: String
    /// The OAuth client the token was minted for: concurrency is counted per user per client (Kaizen #35).
    var clientID: String
    var scopes: [String]
    var expires: Date

    /// Whether the token's scopes grant `required` (empty scopes grant everything).
    ///
    /// Zoho scopes read `Service.scope.[Module.]OPERATION`; a granted `X.ALL` covers every `X.*`, and
    /// `ZohoCRM.modules.READ` covers `ZohoCRM.modules.Leads.READ`.
    func allows(_ required: String) -> Bool {
        if scopes.isEmpty { return true }
        let need = required.lowercased().split(separator: ".").map(String.init)
        return scopes.contains { granted in
            let have = granted.lowercased().split(separator: ".").map(String.init)
            if have == need { return true }
            guard let op = have.last, have.count >= 2 else { return false }
            let prefix = Array(have.dropLast())
            if op == "all" { return need.starts(with: prefix) }
            // `ZohoCRM.modules.READ` covers `ZohoCRM.modules.<Module>.READ`.
            return need.count == prefix.count + 2 && need.starts(with: prefix) && need.last == op
        }
    }
}

/// One line of the request log the admin endpoint shows; never tokens or Authorization headers.
struct RequestLogEntry: Sendable {
    var method: String
    var path: String
    var query: [String: String]
    var status: Int
    var time: Date
    var durationMS: Int
    var inFlightAtStart: Int

    var json: JSONValue {
        [
            "method": .string(method), "path": .string(path),
            "query": .object(query.mapValues { .string($0) }), "status": .int(Int64(status)),
            "time": .string(ZohoTime.dateTime(time)), "duration_ms": .int(Int64(durationMS)),
            "in_flight": .int(Int64(inFlightAtStart)),
        ]
    }
}

/// A mass-convert job.
struct ConversionJob: Sendable {
    enum Work: Sendable {
        case inventory(target: String, carryTags: Bool, assignTo: String?, related: [String])
        case leads(LeadConversionOptions)
    }

    var id: String
    var module: String
    var ids: [String]
    var work: Work
    var created: Date
    var step: Duration
    var fails: Bool
    var converted = 0
    var failed = 0
    var finished = false

    func phase(at now: Date) -> String {
        if finished { return fails ? "FAILED" : "COMPLETED" }
        let elapsed = now.timeIntervalSince(created)
        return elapsed < step.seconds ? "SCHEDULED" : "IN PROGRESS"
    }

    /// The job's status object; lead jobs use Zoho's capitalised keys with the lower-case status values of the OAS
    /// examples (`scheduled`, `in progress`, `completed`, `failed`), inventory jobs lower-case keys and upper-case
    /// values (the v8 page). Always total = converted + not converted + failed.
    func status(at now: Date) -> JSONValue {
        let phase = phase(at: now)
        let total = Int64(ids.count)
        let done =
            finished ? (Int64(converted), Int64(failed), total - Int64(converted) - Int64(failed)) : (0, 0, total)
        if module == "Leads" {
            return [
                "Status": .string(phase.lowercased()), "Total_Count": .int(total), "Converted_Count": .int(done.0),
                "Not_Converted_Count": .int(done.2), "Failed_Count": .int(done.1),
            ]
        }
        return [
            "status": .string(phase), "total_count": .int(total), "converted_count": .int(done.0),
            "not_converted_count": .int(done.2), "failed_count": .int(done.1),
        ]
    }

    var json: JSONValue {
        [
            "job_id": .string(id), "module": .string(module), "ids": .array(ids.map { .string($0) }),
            "created": .string(ZohoTime.dateTime(created)), "finished": .bool(finished),
            "converted": .int(Int64(converted)), "failed": .int(Int64(failed)), "fails": .bool(fails),
        ]
    }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}

/// The emulator's shared state: the org, tokens, jobs, limits, faults and the request log.
actor EmulatorStore {
    let configuration: EmulatorConfiguration
    private let initialOrg: OrgState
    private(set) var org: OrgState
    private var jobs: [String: ConversionJob] = [:]
    private var jobOrder: [String] = []
    /// The jobs not finished yet, in the order they were scheduled: all that `advanceJobs` has to look at.
    private var unfinishedJobs: [String] = []
    private(set) var faults: FaultConfiguration
    private var generator: SeededGenerator
    private var accessTokens: [String: AccessToken] = [:]
    /// Refresh tokens minted by the authorization-code grant: token to (client id, scopes).
    private var issuedRefreshTokens: [String: (client: String, scopes: [String])] = [:]
    private var mintLog: [String: [Date]] = [:]
    private var usedCodes: Set<String> = []
    private var tokenSerial = 0
    /// Calls in flight over all callers, for the request log of the token endpoint.
    private(set) var inFlight = 0
    /// Calls in flight per limiter key (user and OAuth client), all and complex ones.
    private var inFlightByCaller: [String: (all: Int, complex: Int)] = [:]
    private var credits = CreditWindow()
    /// The last `requestLogLimit` calls, a ring once full: `requestLogStart` is the oldest.
    private var requestLog: [RequestLogEntry] = []
    private var requestLogStart = 0
    private let requestLogLimit = 10_000

    init(configuration: EmulatorConfiguration) throws(EmulatorError) {
        self.configuration = configuration
        let now = configuration.clock.now()
        var org: OrgState
        if let prepared = configuration.fixture.prepared?.take() {
            org = prepared
            org.stampLoadTimes(now)
        } else {
            org = try OrgState(fixture: configuration.fixture, now: now)
        }
        initialOrg = org
        self.org = org
        faults = configuration.faults
        generator = SeededGenerator(seed: configuration.faults.seed)
    }

    var now: Date { configuration.clock.now() }

    // MARK: - OAuth

    /// The token endpoint: returns the HTTP status and Zoho's body.
    func token(_ params: [String: String], apiDomain: String) -> (status: Int, body: JSONValue) {
        let clients = configuration.fixture.clients
        let invalidClient: (Int, JSONValue) = (200, ["error": "invalid_client"])
        let invalidCode: (Int, JSONValue) = (200, ["error": "invalid_code"])
        let grant = params["grant_type"] ?? ""
        guard grant == "refresh_token" || grant == "authorization_code" else {
            return (200, ["error": "unsupported_grant_type"])
        }
        guard let clientID = params["client_id"], !clientID.isEmpty, let secret = params["client_secret"],
            !secret.isEmpty
        else { return invalidClient }
        let client = clients.first { $0.clientID == clientID }
        if !clients.isEmpty {
            guard let client, client.clientSecret == secret else { return invalidClient }
        }
        var scopes = client?.scopes ?? []
        var newRefresh: String?
        let refresh: String
        if grant == "refresh_token" {
            guard let given = params["refresh_token"], !given.isEmpty else { return invalidCode }
            if let issued = issuedRefreshTokens[given] {
                guard issued.client == clientID else { return invalidCode }
                scopes = issued.scopes
            } else if let client {
                guard client.refreshTokens.contains(given) else { return invalidCode }
            }
            refresh = given
        } else {
            guard let code = params["code"], !code.isEmpty, !usedCodes.contains(code) else { return invalidCode }
            if let client, !client.codes.contains(code) { return invalidCode }
            usedCodes.insert(code)
            tokenSerial += 1
            refresh = "1000.\(Self.hex(tokenSerial, salt: 0xA5A5)).\(Self.hex(tokenSerial, salt: 0x5A5A))"
            issuedRefreshTokens[refresh] = (clientID, scopes)
            newRefresh = refresh
        }
        let now = self.now
        let window = (mintLog[refresh] ?? []).filter { now.timeIntervalSince($0) < 600 }
        guard window.count < 10 else {
            mintLog[refresh] = window
            return (
                400,
                [
                    "error": "Access Denied",
                    "error_description":
                        "You have made too many requests continuously. Please try again after some time.",
                ]
            )
        }
        mintLog[refresh] = window + [now]
        tokenSerial += 1
        let access = "1000.\(Self.hex(tokenSerial, salt: 0x1234)).\(Self.hex(tokenSerial, salt: 0x4321))"
        let lifetime = faults.tokenTTL ?? configuration.tokenLifetime
        accessTokens[access] = AccessToken(
            refreshToken: refresh,
            clientID: clientID,
            scopes: scopes,
            expires: now.addingTimeInterval(lifetime.seconds)
        )
        var body: [String: JSONValue] = [
            "access_token": .string(access), "api_domain": .string(apiDomain), "token_type": "Bearer",
            "expires_in": .int(Int64(lifetime.seconds.rounded())),
        ]
        if !scopes.isEmpty { body["scope"] = .string(scopes.joined(separator: " ")) }
        if let newRefresh { body["refresh_token"] = .string(newRefresh) }
        return (200, .object(body))
    }

    private static func hex(_ n: Int, salt: UInt64) -> String {
        var g = SeededGenerator(seed: UInt64(n) &* 0x9E37_79B9 ^ salt)
        return String(g.next(), radix: 16) + String(g.next(), radix: 16)
    }

    /// Checks `Authorization: Zoho-oauthtoken <token>` and the scope the call needs; on success, the caller's
    /// limiter key: the token's user (the org's first user, whom `CurrentUser` names) and its OAuth client.
    func authorize(_ header: String?, scope: String?) -> Result<String, ZohoAPIError> {
        authenticate(header).flatMap { caller in
            if let scope, !caller.token.allows(scope) { return .failure(.scopeMismatch(scope)) }
            return .success(caller.key)
        }
    }

    /// Checks `Authorization: Zoho-oauthtoken <token>` alone; the scope is checked once the route is known.
    func authenticate(_ header: String?) -> Result<CRMCaller, ZohoAPIError> {
        guard let header, header.hasPrefix("Zoho-oauthtoken ") else { return .failure(.authenticationFailure()) }
        let token = String(header.dropFirst("Zoho-oauthtoken ".count)).trimmingCharacters(in: .whitespaces)
        guard let access = accessTokens[token], access.expires > now else { return .failure(.invalidToken()) }
        return .success(CRMCaller(key: "\(org.users[0].id)/\(access.clientID)", token: access))
    }

    // MARK: - Limits

    /// Admits a call under the edition's concurrency limit (and the complex-API sub-limit), both counted per
    /// caller (user and OAuth client, Kaizen #35); returns the caller's calls in flight when it arrived, or nil when
    /// it must be refused.
    func admit(complex: Bool, caller: String) -> Int? {
        let limit = configuration.fixture.edition.concurrencyLimit
        var counts = inFlightByCaller[caller] ?? (0, 0)
        guard counts.all < limit else { return nil }
        if complex {
            guard counts.complex < ZohoEdition.complexConcurrencyLimit else { return nil }
            counts.complex += 1
        }
        counts.all += 1
        inFlightByCaller[caller] = counts
        inFlight += 1
        return counts.all - 1
    }

    func release(complex: Bool, caller: String) {
        inFlight -= 1
        guard var counts = inFlightByCaller[caller] else { return }
        counts.all -= 1
        if complex { counts.complex -= 1 }
        inFlightByCaller[caller] = counts.all == 0 ? nil : counts
    }

    var creditBudget: Int {
        configuration.dailyCreditBudget
            ?? configuration.fixture.edition.dailyCredits(users: configuration.fixture.users.count)
    }

    /// Spends credits in the rolling 24-hour window; nil when the budget is exhausted, else the remaining credits
    /// to report once half the budget is used (Zoho's `X-API-CREDITS-REMAINING`).
    func charge(_ cost: Int) -> (allowed: Bool, remaining: Int?) {
        let now = self.now
        credits.expire(at: now)
        let used = credits.used
        let budget = creditBudget
        guard used + cost <= budget else { return (false, max(0, budget - used)) }
        credits.charge(cost, at: now)
        let after = used + cost
        return (true, after * 2 >= budget ? budget - after : nil)
    }

    // MARK: - Faults

    enum InjectedFault { case none, tooManyRequests, serverError }

    func rollFault(write: Bool = false) -> InjectedFault {
        if faults.tooManyRequests > 0 && generator.unit() < faults.tooManyRequests { return .tooManyRequests }
        if faults.serverErrors > 0 && generator.unit() < faults.serverErrors { return .serverError }
        if write, faults.writeServerErrors > 0, generator.unit() < faults.writeServerErrors { return .serverError }
        return .none
    }

    func rollTimeoutWrite() -> Bool {
        faults.timeoutWrite > 0 && generator.unit() < faults.timeoutWrite
    }

    func setFaults(_ new: FaultConfiguration) {
        faults = new
        generator = SeededGenerator(seed: new.seed)
    }

    // MARK: - Request log

    func log(_ entry: RequestLogEntry) {
        // A ring, so a full log does not move 10,000 entries on every call.
        if requestLog.count < requestLogLimit {
            requestLog.append(entry)
        } else {
            requestLog[requestLogStart] = entry
            requestLogStart = (requestLogStart + 1) % requestLogLimit
        }
    }

    /// The logged calls, oldest first.
    var requests: [RequestLogEntry] { Array(requestLog[requestLogStart...] + requestLog[..<requestLogStart]) }

    // MARK: - State

    /// Restores the fixture's records and clears jobs, the request log and spent credits; issued tokens stay valid.
    func reset() {
        org = initialOrg
        jobs = [:]
        jobOrder = []
        unfinishedJobs = []
        requestLog = []
        requestLogStart = 0
        credits = CreditWindow()
        generator = SeededGenerator(seed: faults.seed)
    }

    func stateJSON() -> JSONValue {
        advanceJobs()
        var modules: [String: JSONValue] = [:]
        for spec in org.metadata.modules {
            var all: [EmulatorRecord] = []
            org.tables[spec.apiName]?.visit { record in
                all.append(record)
                return true
            }
            if !all.isEmpty { modules[spec.apiName] = .array(all.map { .object($0) }) }
        }
        return [
            "records": .object(modules),
            "jobs": .array(
                jobOrder.compactMap { jobs[$0] }.map { job in
                    var j = job.json.objectValue ?? [:]
                    j["status"] = job.status(at: now)
                    return .object(j)
                }
            ),
            "users": .array(org.users.map { $0.ownerValue }),
        ]
    }

    /// Runs a mutation of the org after bringing jobs up to date.
    func withOrg<T: Sendable>(_ body: (inout OrgState, Date) throws(ZohoAPIError) -> T) throws(ZohoAPIError) -> T {
        advanceJobs()
        return try body(&org, now)
    }

    /// A consistent read of the org after bringing jobs up to date.
    func read<T: Sendable>(_ body: (OrgState, Date) throws(ZohoAPIError) -> T) throws(ZohoAPIError) -> T {
        advanceJobs()
        return try body(org, now)
    }

    // MARK: - Jobs

    func schedule(module: String, ids: [String], work: ConversionJob.Work) -> String {
        advanceJobs()
        let id = org.nextID()
        let step = faults.job == .slow ? configuration.jobStepDuration * 10 : configuration.jobStepDuration
        jobs[id] = ConversionJob(
            id: id,
            module: module,
            ids: ids,
            work: work,
            created: now,
            step: step,
            fails: faults.job == .fail
        )
        jobOrder.append(id)
        unfinishedJobs.append(id)
        advanceJobs()
        return id
    }

    func jobStatus(module: String, id: String) -> JSONValue? {
        advanceJobs()
        guard let job = jobs[id], job.module == module else { return nil }
        return job.status(at: now)
    }

    /// Completes every job whose time has come, converting its records then (not before), as Zoho's
    /// background processing would.
    private func advanceJobs() {
        let now = self.now
        var stillRunning: [String] = []
        defer { unfinishedJobs = stillRunning }
        for id in unfinishedJobs {
            guard var job = jobs[id], !job.finished else { continue }
            guard now.timeIntervalSince(job.created) >= 2 * job.step.seconds else {
                stillRunning.append(id)
                continue
            }
            if job.fails {
                job.failed = job.ids.count
            } else {
                for recordID in job.ids {
                    do {
                        switch job.work {
                        case .inventory(let target, let carryTags, let assignTo, let related):
                            _ = try org.convertInventory(
                                parent: job.module,
                                id: recordID,
                                target: target,
                                carryTags: carryTags,
                                assignTo: assignTo,
                                relatedModules: related,
                                now: now
                            )
                        case .leads(let options):
                            _ = try org.convertLead(id: recordID, options: options, now: now)
                        }
                        job.converted += 1
                    } catch {
                        job.failed += 1
                    }
                }
            }
            job.finished = true
            jobs[id] = job
        }
    }
}
