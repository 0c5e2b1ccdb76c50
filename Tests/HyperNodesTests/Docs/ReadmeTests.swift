import Foundation
import Testing

/// The README's quick start is the file `demos/QuickStart/main.swift`, which
/// the package builds as the `quickstart` executable: these tests keep the
/// two identical and check that the program prints what the README says.
@Suite("README")
struct ReadmeTests {
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    @Test func quickStartInReadmeIsTheCompiledDemo() throws {
        let readme = try String(contentsOf: Self.root.appendingPathComponent("README.md"), encoding: .utf8)
        let demo = try String(
            contentsOf: Self.root.appendingPathComponent("demos/QuickStart/main.swift"), encoding: .utf8)
        #expect(
            readme.contains("```swift\n" + demo + "```"),
            "README's quick start differs from demos/QuickStart/main.swift")
    }

    @Test func quickStartPrintsWhatItsCommentsSay() async throws {
        let output = try await Executable.run([], product: "quickstart")
        #expect(output.status == 0, "\(output)")
        #expect(output.stdout == "2\n[3, 1]\n3\n")
    }
}
