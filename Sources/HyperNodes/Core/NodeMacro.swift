/// Declares a pipeline node of the function it is attached to.
///
/// ```swift
/// @Node(output: "doubled")
/// func double(x: Int) -> Int { x * 2 }
///
/// let pipeline = try Pipeline(nodes: [doubleNode])
/// ```
///
/// Beside `func double` the macro declares `let doubleNode: Node`: the
/// function's name followed by `Node`, with the function's access level, and
/// `static` for a static method. The node is equivalent to
/// `Node("double", inputs: "x", output: "doubled") { (x: Int) in double(x: x) }`:
///
/// - **Name**: the function's name, unless `name:` gives another (a `String`;
///   `nil` means the function's name).
/// - **Inputs**: one per parameter, named by its **argument label**, or by the
///   parameter name when the label is `_`: `func count(words: [String])` reads
///   input `words`, `func clean(_ text: String)` reads `text`, and
///   `func total(word_count counts: [Int])` reads `word_count` into `counts`.
///   Their types are the parameters' types.
/// - **Output**: named by `output:`, typed by the return type.
/// - `async` and `throws` functions make `async` and throwing nodes.
/// - `cache:` and `codeVersion:` are those of ``Node``.
///
/// **Code identity.** Unless `codeVersion:` is given, the node's cache
/// entries are keyed by a digest of the function's source computed at compile
/// time (``Node/sourceDigest``): editing the function's code invalidates that
/// node's entries and no others, while whitespace and comments do not count.
/// Code the function calls is not part of the digest, so a changed helper is
/// not seen: pin `codeVersion:` on a node whose behaviour lives in helpers, and
/// change it with them.
///
/// The function must be a free function or a static method of a non-generic
/// type, non-generic, with a body and a return value; its parameters must not
/// be `inout`, variadic or `isolated` nor have default values (inputs come
/// from the pipeline: bind defaults with ``Pipeline/bind(_:)``), and their
/// input names must differ. Each violation is a compile-time error that says
/// what to change.
@attached(peer, names: suffixed(Node))
public macro Node(
    output: String,
    name: String? = nil,
    cache: Bool = true,
    codeVersion: String? = nil
) = #externalMacro(module: "HyperNodesMacros", type: "NodeMacro")

/// Declares a pipeline node with several outputs of a function returning a tuple.
///
/// ```swift
/// @Node(outputs: "mean", "std")
/// func stats(values: [Double]) -> (Double, Double) { ... }
/// ```
///
/// declares `statsNode`, whose outputs `mean` and `std` take the tuple's
/// elements in order, typed by them. There must be one name per element.
/// Everything else is as for ``Node(output:name:cache:codeVersion:)``.
@attached(peer, names: suffixed(Node))
public macro Node(
    outputs: String...,
    name: String? = nil,
    cache: Bool = true,
    codeVersion: String? = nil
) = #externalMacro(module: "HyperNodesMacros", type: "NodeMacro")

/// `@Node` without an output name: reported as a compile-time error with a
/// fix-it that adds `output:`. A node's outputs must be named.
@attached(peer, names: suffixed(Node))
public macro Node(
    name: String? = nil,
    cache: Bool = true,
    codeVersion: String? = nil
) = #externalMacro(module: "HyperNodesMacros", type: "NodeMacro")
