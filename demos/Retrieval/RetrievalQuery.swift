/// A question to search the corpus for, with the document that answers it when known.
struct RetrievalQuery: Codable, Sendable, Hashable {
    /// The question as a reader would type it.
    var text: String
    /// The identifier of the document that answers it, for the bundled questions;
    /// `nil` for a question given on the command line.
    var expected: String?
}
