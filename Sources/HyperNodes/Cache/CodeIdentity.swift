import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The identity of the code that computed a cached result.
///
/// A cache key always includes a code identity, so a changed node body is
/// never served a result computed by the old body:
///
/// - By default the identity is the **build identity** of the running
///   program: the GNU build-ids of the executable and of every shared
///   library it has loaded from outside the system directories (on Linux;
///   elsewhere, the executable's size and modification time). Any rebuild
///   that changes the machine code changes it, so results are reused within
///   one build, across runs, but never across rebuilds.
/// - A node declared with the `@Node` macro is identified by its **source**:
///   a SHA-256 digest of its function's tokens, computed at compile time
///   (``Node/sourceDigest``). Whitespace and comments do not count, so only
///   an edit to the function's code changes it, and only that node's cache
///   entries are invalidated. Code the function calls is not covered: a
///   changed helper leaves the digest as it was, so pin `codeVersion:` on
///   nodes whose behaviour lives in helpers.
/// - A node's `codeVersion:` replaces either for that node. Pin it to keep
///   cached results across rebuilds, and change it whenever the node's
///   behaviour changes.
public enum CodeIdentity {
    /// The build identity of the running program, as hexadecimal text.
    public static let build: String = computeBuildIdentity()

    /// The code identity of `node` in cache keys: its pinned version, else its
    /// source digest, else the build identity, tagged so the three never collide.
    public static func of(_ node: Node) -> String {
        if let version = node.codeVersion { return "version:" + version }
        if let digest = node.sourceDigest { return "source:" + digest }
        return "build:" + build
    }

    private static func computeBuildIdentity() -> String {
        var hasher = StableHasher()
        var found = false
        for path in loadedImages() {
            if let id = ELFNotes.buildID(ofFileAt: path) {
                hasher.combine(path)
                hasher.combine(id)
                found = true
            }
        }
        if !found {
            // No build-id notes: the executable's size and modification time.
            let path = CommandLine.arguments.first ?? ""
            if let attributes = try? FileManager.default.attributesOfItem(atPath: path) {
                hasher.combine(String(describing: attributes[.size] ?? ""))
                hasher.combine(String(describing: attributes[.modificationDate] ?? ""))
            }
            hasher.combine(path)
        }
        return hasher.finalize().hex
    }

    /// The executable, then the non-system shared objects mapped into the process, sorted by
    /// path (the order of the mappings follows their addresses, which differ from run to run).
    static func loadedImages() -> [String] {
        var images: [String] = []
        if let exe = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            images.append(exe)
        }
        guard let maps = readWholeFile("/proc/self/maps") else { return images }
        let system = ["/lib/", "/lib64/", "/usr/lib/", "/usr/lib64/"]
        var libraries = Set<String>()
        for line in maps.split(separator: "\n") {
            guard let slash = line.firstIndex(of: "/") else { continue }
            let path = String(line[slash...])
            guard path.hasSuffix(".so") || path.contains(".so.") else { continue }
            if system.contains(where: path.hasPrefix) || images.contains(path) { continue }
            libraries.insert(path)
        }
        return images + libraries.sorted()
    }

    /// The whole contents of `path`, read until the end of file. Files under `/proc` report a
    /// size of 0, so a reader that trusts the size gets only their first block.
    static func readWholeFile(_ path: String) -> String? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count >= 0 else { return nil }
            if count == 0 { break }
            bytes.append(contentsOf: chunk[0..<count])
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// Reads the GNU build-id note of an ELF file.
enum ELFNotes {
    static func buildID(ofFileAt path: String) -> [UInt8]? {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return nil }
        defer { close(fd) }

        func read(_ offset: Int, _ count: Int) -> [UInt8]? {
            guard count > 0, count < 1 << 20 else { return nil }
            var bytes = [UInt8](repeating: 0, count: count)
            let got = bytes.withUnsafeMutableBytes { pread(fd, $0.baseAddress, count, off_t(offset)) }
            return got == count ? bytes : nil
        }
        func u16(_ b: [UInt8], _ at: Int) -> Int { Int(b[at]) | Int(b[at + 1]) << 8 }
        func u32(_ b: [UInt8], _ at: Int) -> Int { u16(b, at) | u16(b, at + 2) << 16 }
        func u64(_ b: [UInt8], _ at: Int) -> Int { u32(b, at) | u32(b, at + 4) << 32 }

        // 64-bit little-endian ELF only.
        guard let header = read(0, 64), header[0] == 0x7F, header[1] == 0x45, header[2] == 0x4C,
            header[3] == 0x46, header[4] == 2, header[5] == 1
        else { return nil }
        let phoff = u64(header, 32)
        let phentsize = u16(header, 54)
        let phnum = u16(header, 56)
        guard phentsize >= 56, phnum > 0, phnum < 256,
            let table = read(phoff, phentsize * phnum)
        else { return nil }
        for index in 0..<phnum {
            let entry = index * phentsize
            guard u32(table, entry) == 4 else { continue }  // PT_NOTE
            let offset = u64(table, entry + 8)
            let size = u64(table, entry + 32)
            guard let notes = read(offset, size) else { continue }
            var at = 0
            while at + 12 <= notes.count {
                let nameSize = u32(notes, at)
                let descSize = u32(notes, at + 4)
                let type = u32(notes, at + 8)
                let descStart = at + 12 + ((nameSize + 3) & ~3)
                guard descStart + descSize <= notes.count else { break }
                if type == 3 && nameSize == 4 {  // NT_GNU_BUILD_ID, owner "GNU\0"
                    return Array(notes[descStart..<descStart + descSize])
                }
                at = descStart + ((descSize + 3) & ~3)
            }
        }
        return nil
    }
}
