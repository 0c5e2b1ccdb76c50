#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

// Free functions for the system calls whose names the types here also use.

func posixRead(_ descriptor: Int32, _ address: UnsafeMutableRawPointer, _ count: Int) -> Int {
    read(descriptor, address, count)
}

func posixWrite(_ descriptor: Int32, _ address: UnsafeRawPointer, _ count: Int) -> Int {
    write(descriptor, address, count)
}

func posixClose(_ descriptor: Int32) {
    _ = close(descriptor)
}
