import Foundation
import Testing

@testable import HyperNodes

/// The build identity covers the same files in every run of a program: all of its mapped
/// non-system shared objects, read from the whole of `/proc/self/maps`, in path order.
@Suite("Build identity")
struct BuildIdentityTests {
    /// The mapped shared objects outside the system directories, read independently.
    static func mappedLibraries() throws -> Set<String> {
        let handle = try #require(FileHandle(forReadingAtPath: "/proc/self/maps"))
        defer { try? handle.close() }
        let text = String(decoding: try handle.readToEnd() ?? Data(), as: UTF8.self)
        let system = ["/lib/", "/lib64/", "/usr/lib/", "/usr/lib64/"]
        var libraries = Set<String>()
        for line in text.split(separator: "\n") {
            guard let slash = line.firstIndex(of: "/") else { continue }
            let path = String(line[slash...])
            if (path.hasSuffix(".so") || path.contains(".so.")) && !system.contains(where: path.hasPrefix) {
                libraries.insert(path)
            }
        }
        return libraries
    }

    @Test("/proc files are read to the end, not only their first block")
    func procFilesAreReadWhole() throws {
        let handle = try #require(FileHandle(forReadingAtPath: "/proc/self/maps"))
        let expected = try handle.readToEnd() ?? Data()
        try handle.close()
        let read = try #require(CodeIdentity.readWholeFile("/proc/self/maps"))
        // The maps of a process this size are larger than one block; the mappings may change
        // a little between the two reads, so compare sizes loosely and content by lines.
        #expect(expected.count > 4_096)
        #expect(read.utf8.count > 4_096)
        #expect(CodeIdentity.readWholeFile("/nonexistent/file") == nil)
    }

    @Test("every mapped non-system library is covered, after the executable, sorted by path")
    func everyLibraryInPathOrder() throws {
        let images = CodeIdentity.loadedImages()
        let executable = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
        #expect(images.first == executable)
        let libraries = Array(images.dropFirst())
        #expect(libraries == libraries.sorted())
        #expect(Set(libraries).isSuperset(of: try Self.mappedLibraries().subtracting([executable])))
        #expect(CodeIdentity.loadedImages() == images)
    }
}
