import SwiftDiagnostics
import SwiftSyntax
import SwiftSyntaxMacros

/// `@Node`: makes a pipeline node of a function.
///
/// Attached to `func double(x: Int) -> Int`, it declares beside it
/// `let doubleNode = HyperNodes.Node("double", inputs: ..., output: ...) { ... }`
/// which calls the function, with the function's source digest as the
/// node's code identity. See the macro's declaration in `HyperNodes` for
/// the rules; the diagnostics are ``NodeDiagnostic``.
public struct NodeMacro: PeerMacro {
    /// The suffix of the node's name after the function's name.
    public static let peerSuffix = "Node"

    /// Declares the node value beside the function, or reports why it cannot.
    public static func expansion(
        of node: AttributeSyntax,
        providingPeersOf declaration: some DeclSyntaxProtocol,
        in context: some MacroExpansionContext
    ) throws -> [DeclSyntax] {
        guard let function = declaration.as(FunctionDeclSyntax.self) else {
            context.diagnose(Diagnostic(node: node, message: NodeDiagnostic.notAFunction))
            return []
        }
        var diagnostics: [Diagnostic] = []
        let name = function.name.text.trimmingBackticks
        let arguments = NodeArguments.parse(node, functionName: name, diagnostics: &diagnostics)
        let signature = NodeSignature.parse(
            function, outputCount: max(arguments.outputs.count, 1), lexicalContext: context.lexicalContext,
            diagnostics: &diagnostics)
        guard diagnostics.isEmpty, let signature else {
            for diagnostic in diagnostics { context.diagnose(diagnostic) }
            return []
        }
        return [nodeDeclaration(of: signature, arguments: arguments, digest: SourceDigest.digest(of: function))]
    }

    /// The node's declaration.
    static func nodeDeclaration(of signature: NodeSignature, arguments: NodeArguments, digest: String) -> DeclSyntax {
        var modifiers = ""
        if let access = signature.access { modifiers += access + " " }
        if signature.isStatic { modifiers += "static " }

        var lines: [String] = []
        lines.append(arguments.name?.trimmedDescription ?? StringLiteralExprSyntax(content: signature.name).description)
        if !signature.parameters.isEmpty {
            let inputs = signature.parameters.map {
                "HyperNodes.Input<\($0.type.description)>(\(StringLiteralExprSyntax(content: $0.inputName).description))"
            }
            lines.append("inputs: " + inputs.joined(separator: ", "))
        }
        let outputs = zip(arguments.outputs, signature.outputTypes).map { output, type in
            "HyperNodes.Output<\(type.description)>(\(output.expression.trimmedDescription))"
        }
        lines.append((outputs.count == 1 ? "output: " : "outputs: ") + outputs.joined(separator: ", "))
        if let cache = arguments.cache { lines.append("cache: " + cache.trimmedDescription) }
        if let codeVersion = arguments.codeVersion { lines.append("codeVersion: " + codeVersion.trimmedDescription) }

        let closureParameters = signature.parameters.map { "\($0.localName): \($0.type.description)" }
        var effects = ""
        if signature.isAsync { effects += " async" }
        if signature.isThrowing { effects += " throws" }
        let returnType =
            signature.outputTypes.count == 1
            ? signature.outputTypes[0].description
            : "(" + signature.outputTypes.map(\.description).joined(separator: ", ") + ")"
        let callArguments = signature.parameters.map { parameter in
            (parameter.callLabel.map { $0 + ": " } ?? "") + parameter.localName
        }
        var call = "\(signature.callName)(\(callArguments.joined(separator: ", ")))"
        if signature.isAsync { call = "await " + call }
        if signature.isThrowing { call = "try " + call }

        return """
            \(raw: modifiers)let \(raw: signature.name + peerSuffix) = HyperNodes.Node(
                \(raw: lines.joined(separator: ",\n    "))
            ) { (\(raw: closureParameters.joined(separator: ", ")))\(raw: effects) -> \(raw: returnType) in
                \(raw: call)
            }
            .identifiedBySource(\(literal: digest))
            """
    }
}
