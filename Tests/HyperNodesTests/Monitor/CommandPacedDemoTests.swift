import HyperNodes
import Testing

@testable import hypernodes

/// The demo `hypernodes monitor` runs: paced so it can be watched, with the
/// same results as the plain demo.
@Suite("Paced demo pipeline")
struct CommandPacedDemoTests {
    @Test("a paced demo takes the item delay as an input and gives the plain demo's results")
    func pacedDemo() async throws {
        let plain = try DemoPipeline.make(items: 6, embeddingRounds: 1_000)
        let paced = try DemoPipeline.make(
            items: 6, embeddingRounds: 1_000, maxConcurrency: 4, itemDelay: .milliseconds(20))
        #expect(!plain.inputNames.contains("item_delay_ms"))
        #expect(try DemoPipeline.documentAnalysis(paced: true).inputNames.contains("item_delay_ms"))
        #expect(!(try DemoPipeline.documentAnalysis().inputNames.contains("item_delay_ms")))
        let expected = try DemoPipeline.summary(of: await plain.run())
        let actual = try DemoPipeline.summary(of: await paced.run())
        #expect(actual == expected)
    }
}
