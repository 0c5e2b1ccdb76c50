import Foundation
import Testing

/// Two `hypernodes demo` processes writing to one cache directory at once.
extension CLITests {
    @Suite("two processes sharing a cache")
    struct SharedCacheTests {
        @Test("concurrent runs agree, a later run is served from the cache, no temporary files remain")
        func concurrentRunsShareTheCache() async throws {
            let directory = try Executable.scratchDirectory()
            defer { try? FileManager.default.removeItem(at: directory) }
            let cache = directory.appendingPathComponent("cache")
            let arguments = ["demo", "--scale", "0.02", "--cache-dir", cache.path, "--progress", "off"]

            async let first = Executable.run(arguments)
            async let second = Executable.run(arguments)
            let runs = try await [first, second]
            for run in runs {
                #expect(run.status == 0, "\(run)")
                #expect(run.stderr.isEmpty, "\(run)")
                #expect(run.stdout.contains("Corpus        6 documents"), "\(run)")
            }
            #expect(runs[0].resultLines == runs[1].resultLines, "\(runs[0])\n\(runs[1])")

            let third = try await Executable.run(arguments)
            #expect(third.status == 0, "\(third)")
            #expect(third.cacheLine == "From cache    1 node: build_vocabulary", "\(third)")
            #expect(third.resultLines == runs[0].resultLines, "\(third)")

            let files = try filesBelow(cache)
            #expect(files.contains { $0.hasSuffix(".entry") }, "\(files)")
            #expect(!files.contains { $0.hasSuffix(".tmp") }, "\(files)")
        }

        /// The paths of the regular files below `directory`, relative to it.
        private func filesBelow(_ directory: URL) throws -> [String] {
            let manager = FileManager.default
            let paths = try manager.subpathsOfDirectory(atPath: directory.path)
            return paths.filter { path in
                var isDirectory: ObjCBool = false
                return manager.fileExists(
                    atPath: directory.appendingPathComponent(path).path, isDirectory: &isDirectory)
                    && !isDirectory.boolValue
            }
        }
    }
}
