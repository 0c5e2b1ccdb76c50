import Foundation
import HyperNodes
import Testing

@Suite("Secret scrubbing")
struct SecretScrubbingTests {
    let scrubbing = SecretScrubbing.default

    @Test(arguments: [
        ("password", "password"), ("db_password", "password"), ("passwd", "passwd"), ("clientSecret", "secret"),
        ("access_token", "token"), ("apiToken", "token"), ("HTTPToken", "token"), ("api_key", "api_key"),
        ("apiKey", "api_key"), ("X-API-Key", "api_key"), ("apikey", "api_key"), ("Authorization", "auth"),
        ("auth", "auth"), ("aws_credentials", "credential"), ("private_key", "private_key"),
        ("privateKey", "private_key"), ("session_id", "session"), ("Set-Cookie", "cookie"),
        ("csrf_token", "token"), ("csrf", "csrf"), ("jwt", "jwt"), ("ssn", "ssn"), ("user_ssn", "ssn"),
        ("credit_card", "credit_card"), ("creditCardNumber", "credit_card"),
    ])
    func sensitiveKeysMatchTheirPattern(key: String, pattern: String) {
        #expect(scrubbing.pattern(matchingKey: key)?.name == pattern, "key \(key)")
    }

    @Test(arguments: [
        "tokens", "tokenizer", "author", "authors", "classname", "text", "x", "doubled", "cache.key", "word_count",
    ])
    func ordinaryKeysDoNotMatch(key: String) {
        #expect(scrubbing.pattern(matchingKey: key) == nil, "key \(key)")
    }

    @Test func aSensitiveKeyHidesTheWholeValueBehindAMarkerNamingThePattern() {
        #expect(scrubbing.scrub("hunter2", key: "password") == "[Scrubbed due to 'password']")
        #expect(scrubbing.scrub("hello", key: "text") == "hello")
    }

    @Test func keysInsidePreviewsAreScrubbed() {
        #expect(
            scrubbing.scrubText(#"["password": "hunter2", "user": "bob"]"#)
                == #"["password": "[Scrubbed due to 'password']", "user": "bob"]"#)
        #expect(
            scrubbing.scrubText(#"Config(apiKey: "sk-123", model: "small")"#)
                == #"Config(apiKey: "[Scrubbed due to 'api_key']", model: "small")"#)
        #expect(
            scrubbing.scrubText(#"{"token":"abc","n":1}"#) == #"{"token":"[Scrubbed due to 'token']","n":1}"#)
        #expect(
            scrubbing.scrubText("user=bob&session=abc123&page=2")
                == "user=bob&session=[Scrubbed due to 'session']&page=2")
        #expect(
            scrubbing.scrubText(#"Login(credentials: Pair(user: "u", pass: "p"), retries: 3)"#)
                == #"Login(credentials: [Scrubbed due to 'credential'], retries: 3)"#)
        #expect(
            scrubbing.scrubText(#"["secret": ["a", "b"], "ok": 1]"#)
                == #"["secret": [Scrubbed due to 'secret'], "ok": 1]"#)
    }

    @Test func textWithoutSensitiveKeysIsUnchanged() {
        let texts = [
            "plain text", #"["tokens": ["a", "b"]]"#, "http://example.org:8080/x", "a == b", "Swift::String",
            "time 12:30", "", "password", #"{"author": "Ann"}"#,
        ]
        for text in texts {
            #expect(scrubbing.scrubText(text) == text)
        }
    }

    @Test func escapedQuotesAndTruncatedPreviewsAreHandled() {
        #expect(
            scrubbing.scrubText(#"["password": "a\"b", "n": 1]"#)
                == #"["password": "[Scrubbed due to 'password']", "n": 1]"#)
        // A preview cut at 500 characters may end inside the value.
        #expect(scrubbing.scrubText(#"["password": "hunt…"#) == #"["password": "[Scrubbed due to 'password']""#)
        #expect(scrubbing.scrubText("x: [1, 2, token: 3") == "x: [1, 2, token: [Scrubbed due to 'token']")
    }

    @Test func extraPatternsAreAddedToTheBuiltInOnes() throws {
        let custom = try SecretScrubbing(extraPatterns: ["customer-id"])
        #expect(custom.pattern(matchingKey: "customerId")?.name == "customer-id")
        #expect(custom.pattern(matchingKey: "password")?.name == "password")
        #expect(custom.scrubText("customer_id=42, n=1") == "customer_id=[Scrubbed due to 'customer-id'], n=1")
    }

    @Test func changingThePatternsOfACopyForgetsEarlierMatches() throws {
        var custom = SecretScrubbing.default
        #expect(custom.pattern(matchingKey: "user") == nil)
        #expect(custom.pattern(matchingKey: "user") == nil)
        custom.patterns.append(try SecretPattern("user"))
        #expect(custom.pattern(matchingKey: "user")?.name == "user")
        #expect(SecretScrubbing.default.pattern(matchingKey: "user") == nil)
        #expect(custom != .default)
        custom.patterns.removeLast()
        #expect(custom == .default)
        #expect(custom.pattern(matchingKey: "user") == nil)
    }

    @Test func badPatternsAreRejectedNamingThePattern() {
        #expect(throws: SecretPatternError.empty(pattern: "_-")) { try SecretScrubbing(extraPatterns: ["_-"]) }
        #expect(throws: SecretPatternError.invalidCharacter(pattern: "pa$$", character: "$")) {
            try SecretPattern("pa$$")
        }
        #expect("\(SecretPatternError.empty(pattern: ""))".contains("would match every key"))
    }

    @Test func disabledScrubbingPassesEverythingOn() {
        let off = SecretScrubbing.disabled
        #expect(off.scrub("hunter2", key: "password") == "hunter2")
        #expect(off.scrubText(#"["token": "x"]"#) == #"["token": "x"]"#)
        var emptied = SecretScrubbing.default
        emptied.isEnabled = false
        #expect(emptied.scrub("hunter2", key: "password") == "hunter2")
    }

    // MARK: In the engine

    struct Credentials: Sendable, CustomStringConvertible {
        let user: String
        let apiKey: String
        var description: String { "Credentials(user: \"\(user)\", apiKey: \"\(apiKey)\")" }
    }

    struct LoginFailed: Error, CustomStringConvertible {
        var description: String { "login failed for user=bob password=hunter2" }
    }

    static func loginPipeline() throws -> Pipeline {
        let login = Node("login", inputs: "password", "user", output: "session_token") {
            (password: String, user: String) in "tok-\(user)-\(password.count)"
        }
        let describe = Node("describe", inputs: "user", output: "account") { (user: String) in
            Credentials(user: user, apiKey: "sk-live-123")
        }
        return try Pipeline(nodes: [login, describe], name: "login")
    }

    @Test func previewsInEventsAreScrubbedByTheEngine() async throws {
        let recorder = EventRecorder(previews: true)
        var pipeline = try Self.loginPipeline()
        pipeline.callbacks = [recorder]
        _ = try await pipeline.run(inputs: ["password": "hunter2", "user": "bob"])
        let start = try #require(recorder.events.first { $0.kind == .nodeStart && $0.name == "login" })
        #expect(start.attributes["input.password"] == "[Scrubbed due to 'password']")
        #expect(start.attributes["input.user"] == "bob")
        let loginEnd = try #require(recorder.events.first { $0.kind == .nodeEnd && $0.name == "login" })
        // The first matching pattern is named.
        #expect(loginEnd.attributes["output.session_token"] == "[Scrubbed due to 'token']")
        let describeEnd = try #require(recorder.events.first { $0.kind == .nodeEnd && $0.name == "describe" })
        #expect(
            describeEnd.attributes["output.account"]
                == #"Credentials(user: "bob", apiKey: "[Scrubbed due to 'api_key']")"#)
        for event in recorder.events {
            for value in event.attributes.values {
                #expect(!value.contains("hunter2") && !value.contains("sk-live"), "\(event.kind) leaks \(value)")
            }
        }
    }

    @Test func scrubbingCanBeTurnedOff() async throws {
        let recorder = EventRecorder(previews: true)
        var pipeline = try Self.loginPipeline()
        pipeline.callbacks = [recorder]
        pipeline.secretScrubbing = .disabled
        _ = try await pipeline.run(inputs: ["password": "hunter2", "user": "bob"])
        let start = try #require(recorder.events.first { $0.kind == .nodeStart && $0.name == "login" })
        #expect(start.attributes["input.password"] == "hunter2")
    }

    @Test func extraPatternsApplyInTheEngine() async throws {
        let recorder = EventRecorder(previews: true)
        var pipeline = try Self.loginPipeline()
        pipeline.callbacks = [recorder]
        pipeline.secretScrubbing = try SecretScrubbing(extraPatterns: ["user"])
        _ = try await pipeline.run(inputs: ["password": "hunter2", "user": "bob"])
        let start = try #require(recorder.events.first { $0.kind == .nodeStart && $0.name == "login" })
        #expect(start.attributes["input.user"] == "[Scrubbed due to 'user']")
    }

    @Test func errorMessagesInEventsAreScrubbedButTheThrownErrorIsIntact() async throws {
        let recorder = EventRecorder()
        let fail = Node("fail", inputs: "x", output: "y") { (x: Int) throws -> Int in throw LoginFailed() }
        let pipeline = try Pipeline(nodes: [fail], name: "p", callbacks: [recorder])
        let error = await #expect(throws: NodeError.self) { try await pipeline.run(inputs: ["x": 1]) }
        let thrown = error.map { "\($0.underlying)" } ?? ""
        #expect(thrown.contains("hunter2"))
        let reported = recorder.events.compactMap(\.error)
        #expect(reported.count >= 2)
        for info in reported {
            #expect(info.message == "login failed for user=bob password=[Scrubbed due to 'password']")
        }
    }

    @Test func nestedPipelinesFollowTheOutermostPipelinesSetting() async throws {
        let recorder = EventRecorder(previews: true)
        let inner = try Self.loginPipeline()
        var outer = try Pipeline(nodes: [inner.asNode(name: "auth")], name: "outer", callbacks: [recorder])
        _ = try await outer.run(inputs: ["password": "hunter2", "user": "bob"])
        let scrubbed = recorder.events.first { $0.kind == .nodeStart && $0.name == "login" }
        #expect(scrubbed?.attributes["input.password"] == "[Scrubbed due to 'password']")

        recorder.clear()
        outer.secretScrubbing = .disabled
        _ = try await outer.run(inputs: ["password": "hunter2", "user": "bob"])
        let plain = recorder.events.first { $0.kind == .nodeStart && $0.name == "login" }
        #expect(plain?.attributes["input.password"] == "hunter2")
    }
}
