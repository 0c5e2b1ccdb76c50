import SwiftDiagnostics
import SwiftSyntax

/// The arguments of one `@Node(...)` attribute.
struct NodeArguments {
    /// One output name, as written.
    struct OutputName {
        /// The expression naming the output.
        let expression: ExprSyntax
        /// Its value when it is a plain string literal (no interpolation), else `nil`.
        let literal: String?
    }

    /// The output names, in order.
    var outputs: [OutputName] = []
    /// The node's name, when given and not `nil`; the function's name otherwise.
    var name: ExprSyntax?
    /// The `cache:` argument, when given.
    var cache: ExprSyntax?
    /// The `codeVersion:` argument, when given.
    var codeVersion: ExprSyntax?

    /// Reads the arguments of `attribute`, reporting a missing, empty or
    /// repeated output name into `diagnostics`.
    ///
    /// The compiler has already checked the labels and types against the
    /// macro's declarations, so an unknown label cannot occur here.
    static func parse(
        _ attribute: AttributeSyntax, functionName: String, diagnostics: inout [Diagnostic]
    ) -> NodeArguments {
        var result = NodeArguments()
        if case .argumentList(let list) = attribute.arguments {
            var label: String?
            for argument in list {
                if let newLabel = argument.label { label = newLabel.text }
                switch label {
                case "output", "outputs":
                    result.outputs.append(
                        OutputName(expression: argument.expression, literal: stringLiteral(argument.expression)))
                case "name":
                    // `name: nil` is the default: the function's name.
                    result.name = argument.expression.is(NilLiteralExprSyntax.self) ? nil : argument.expression
                case "cache": result.cache = argument.expression
                case "codeVersion": result.codeVersion = argument.expression
                default: break
                }
            }
        }
        if result.outputs.isEmpty {
            diagnostics.append(
                Diagnostic(
                    node: attribute, message: NodeDiagnostic.missingOutput(function: functionName),
                    fixIt: FixIt(
                        message: NodeFixIt.addOutput(functionName),
                        changes: [
                            .replace(
                                oldNode: Syntax(attribute),
                                newNode: Syntax(addingOutput(functionName, to: attribute)))
                        ])))
        }
        var seen: Set<String> = []
        for output in result.outputs {
            guard let name = output.literal else { continue }
            if name.isEmpty {
                diagnostics.append(Diagnostic(node: output.expression, message: NodeDiagnostic.emptyOutputName))
            } else if !seen.insert(name).inserted {
                diagnostics.append(
                    Diagnostic(node: output.expression, message: NodeDiagnostic.duplicateOutputName(name)))
            }
        }
        return result
    }

    /// The value of a string literal without interpolation, else `nil`.
    static func stringLiteral(_ expression: ExprSyntax) -> String? {
        guard let literal = expression.as(StringLiteralExprSyntax.self) else { return nil }
        var value = ""
        for segment in literal.segments {
            guard case .stringSegment(let text) = segment else { return nil }
            value += text.content.text
        }
        return value
    }

    /// `attribute` with `output: "name"` as its first argument.
    static func addingOutput(_ name: String, to attribute: AttributeSyntax) -> AttributeSyntax {
        var existing: LabeledExprListSyntax = []
        if case .argumentList(let list) = attribute.arguments { existing = list }
        let output = LabeledExprSyntax(
            label: .identifier("output"), colon: .colonToken(trailingTrivia: .space),
            expression: StringLiteralExprSyntax(content: name),
            trailingComma: existing.isEmpty ? nil : .commaToken(trailingTrivia: .space))
        let trailing = attribute.rightParen?.trailingTrivia ?? attribute.attributeName.trailingTrivia
        return
            attribute
            .with(\.attributeName, attribute.attributeName.with(\.trailingTrivia, []))
            .with(\.leftParen, .leftParenToken())
            .with(\.arguments, .argumentList(LabeledExprListSyntax([output] + Array(existing))))
            .with(\.rightParen, .rightParenToken(trailingTrivia: trailing))
    }
}
