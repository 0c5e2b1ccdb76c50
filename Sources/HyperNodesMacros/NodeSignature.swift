import SwiftDiagnostics
import SwiftSyntax

/// What `@Node` reads from a function declaration: its parameters (the
/// node's inputs), its effects and its return type (the outputs' types).
struct NodeSignature {
    /// One parameter of the function, which becomes one input.
    struct Parameter {
        /// The input's name: the argument label, or the parameter name when the label is `_`.
        let inputName: String
        /// The name of the closure parameter that receives the input.
        let localName: String
        /// The argument label of the call, or `nil` for `_`.
        let callLabel: String?
        /// The parameter's type, without ownership specifiers.
        let type: TypeSyntax
    }

    /// The function's name without backticks.
    let name: String
    /// The function's name as written, for calling it.
    let callName: String
    /// The inputs, in parameter order.
    let parameters: [Parameter]
    /// Whether the function is `async`.
    let isAsync: Bool
    /// Whether the function throws (or rethrows).
    let isThrowing: Bool
    /// The type of each output, in order.
    let outputTypes: [TypeSyntax]
    /// Whether the node is a static member of a type.
    let isStatic: Bool
    /// The access modifier the node takes from the function, if any.
    let access: String?

    /// Reads `function` for a node with `outputCount` outputs declared in
    /// `lexicalContext` (innermost first), reporting what cannot become a
    /// node into `diagnostics`; `nil` when anything was reported.
    static func parse(
        _ function: FunctionDeclSyntax, outputCount: Int, lexicalContext: [Syntax],
        diagnostics: inout [Diagnostic]
    ) -> NodeSignature? {
        let start = diagnostics.count
        let callName = function.name.text
        let name = callName.trimmingBackticks
        switch function.name.tokenKind {
        case .binaryOperator, .prefixOperator, .postfixOperator:
            diagnostics.append(
                Diagnostic(node: function.name, message: NodeDiagnostic.operatorFunction(function: name)))
        default:
            break
        }

        let isStatic = function.modifiers.contains {
            $0.name.tokenKind == .keyword(.static) || $0.name.tokenKind == .keyword(.class)
        }
        checkPlacement(
            function, name: name, isStatic: isStatic, lexicalContext: lexicalContext, diagnostics: &diagnostics)

        if let generics = function.genericParameterClause {
            diagnostics.append(Diagnostic(node: generics, message: NodeDiagnostic.genericFunction(function: name)))
        } else if let whereClause = function.genericWhereClause {
            diagnostics.append(Diagnostic(node: whereClause, message: NodeDiagnostic.genericFunction(function: name)))
        }
        if function.body == nil {
            diagnostics.append(Diagnostic(node: function.name, message: NodeDiagnostic.missingBody(function: name)))
        }

        let parameters = readParameters(function.signature.parameterClause.parameters, diagnostics: &diagnostics)
        let outputTypes = readOutputTypes(
            function, name: name, outputCount: outputCount, diagnostics: &diagnostics)

        guard diagnostics.count == start else { return nil }
        let effects = function.signature.effectSpecifiers
        return NodeSignature(
            name: name, callName: callName, parameters: parameters,
            isAsync: effects?.asyncSpecifier != nil,
            isThrowing: effects?.throwsClause != nil,
            outputTypes: outputTypes, isStatic: isStatic, access: accessModifier(function.modifiers))
    }

    /// Reports a function that is local, an instance method, or in a container
    /// where a static stored property cannot be declared.
    private static func checkPlacement(
        _ function: FunctionDeclSyntax, name: String, isStatic: Bool, lexicalContext: [Syntax],
        diagnostics: inout [Diagnostic]
    ) {
        guard let container = lexicalContext.first else { return }  // file scope
        let genericType: String?
        if let type = container.as(StructDeclSyntax.self) {
            genericType = type.genericParameterClause == nil ? nil : "generic struct '\(type.name.text)'"
        } else if let type = container.as(ClassDeclSyntax.self) {
            genericType = type.genericParameterClause == nil ? nil : "generic class '\(type.name.text)'"
        } else if let type = container.as(EnumDeclSyntax.self) {
            genericType = type.genericParameterClause == nil ? nil : "generic enum '\(type.name.text)'"
        } else if let type = container.as(ActorDeclSyntax.self) {
            genericType = type.genericParameterClause == nil ? nil : "generic actor '\(type.name.text)'"
        } else if let type = container.as(ProtocolDeclSyntax.self) {
            genericType = "protocol '\(type.name.text)'"
        } else if container.is(ExtensionDeclSyntax.self) {
            genericType = nil
        } else {
            diagnostics.append(Diagnostic(node: function.name, message: NodeDiagnostic.localFunction(function: name)))
            return
        }
        if let genericType {
            diagnostics.append(
                Diagnostic(
                    node: function.name,
                    message: NodeDiagnostic.unsupportedContainer(function: name, container: genericType)))
        } else if !isStatic {
            diagnostics.append(
                Diagnostic(
                    node: function.funcKeyword, message: NodeDiagnostic.instanceMethod(function: name),
                    fixIt: FixIt(
                        message: NodeFixIt.makeStatic,
                        changes: [.replace(oldNode: Syntax(function), newNode: Syntax(makingStatic(function)))])))
        }
    }

    /// `function` with a `static` modifier after its other modifiers.
    static func makingStatic(_ function: FunctionDeclSyntax) -> FunctionDeclSyntax {
        var modifiers = function.modifiers
        var funcKeyword = function.funcKeyword
        if modifiers.isEmpty {
            modifiers.append(
                DeclModifierSyntax(
                    name: .keyword(.static, leadingTrivia: funcKeyword.leadingTrivia, trailingTrivia: .space)))
            funcKeyword = funcKeyword.with(\.leadingTrivia, [])
        } else {
            modifiers.append(DeclModifierSyntax(name: .keyword(.static, trailingTrivia: .space)))
        }
        return function.with(\.modifiers, modifiers).with(\.funcKeyword, funcKeyword)
    }

    /// The inputs of the node, with a diagnostic for each parameter that
    /// cannot be one and for input names given twice.
    private static func readParameters(
        _ list: FunctionParameterListSyntax, diagnostics: inout [Diagnostic]
    ) -> [Parameter] {
        var parameters: [Parameter] = []
        var seen: Set<String> = []
        for (index, parameter) in list.enumerated() {
            let label = parameter.firstName.text.trimmingBackticks
            let local = (parameter.secondName ?? parameter.firstName).text.trimmingBackticks
            let inputName = label != "_" ? label : local
            let display = inputName != "_" ? inputName : "#\(index + 1)"
            var type = parameter.type
            if let ellipsis = parameter.ellipsis {
                let element = type.trimmedDescription
                let fixed = parameter.with(\.ellipsis, nil).with(
                    \.type,
                    TypeSyntax(ArrayTypeSyntax(element: type.trimmed)).with(\.trailingTrivia, ellipsis.trailingTrivia))
                diagnostics.append(
                    Diagnostic(
                        node: ellipsis, message: NodeDiagnostic.variadicParameter(parameter: display),
                        fixIt: FixIt(
                            message: NodeFixIt.useArray(element),
                            changes: [.replace(oldNode: Syntax(parameter), newNode: Syntax(fixed))])))
            }
            if let attributed = type.as(AttributedTypeSyntax.self) {
                for element in attributed.specifiers {
                    guard case .simpleTypeSpecifier(let specifier) = element else { continue }
                    switch specifier.specifier.tokenKind {
                    case .keyword(.inout):
                        let base = attributed.baseType.with(\.leadingTrivia, attributed.leadingTrivia)
                        diagnostics.append(
                            Diagnostic(
                                node: specifier, message: NodeDiagnostic.inoutParameter(parameter: display),
                                fixIt: FixIt(
                                    message: NodeFixIt.removeInout,
                                    changes: [.replace(oldNode: Syntax(attributed), newNode: Syntax(base))])))
                    case .keyword(.isolated):
                        diagnostics.append(
                            Diagnostic(node: specifier, message: NodeDiagnostic.isolatedParameter(parameter: display)))
                    default: break
                    }
                }
                // Ownership specifiers (borrowing, consuming, sending) do not change the input's type.
                if attributed.attributes.isEmpty {
                    type = attributed.baseType
                } else {
                    type = TypeSyntax(attributed.with(\.specifiers, []))
                }
            }
            if let opaque = type.as(SomeOrAnyTypeSyntax.self), opaque.someOrAnySpecifier.tokenKind == .keyword(.some) {
                diagnostics.append(
                    Diagnostic(node: opaque, message: NodeDiagnostic.opaqueParameter(parameter: display)))
            }
            if let defaultValue = parameter.defaultValue {
                let fixed = parameter.with(\.defaultValue, nil).with(
                    \.type, parameter.type.with(\.trailingTrivia, []))
                diagnostics.append(
                    Diagnostic(
                        node: defaultValue, message: NodeDiagnostic.defaultValue(parameter: display),
                        fixIt: FixIt(
                            message: NodeFixIt.removeDefaultValue,
                            changes: [.replace(oldNode: Syntax(parameter), newNode: Syntax(fixed))])))
            }
            if inputName == "_" {
                diagnostics.append(
                    Diagnostic(node: parameter, message: NodeDiagnostic.unnamedParameter(position: index + 1)))
                continue
            }
            if !seen.insert(inputName).inserted {
                diagnostics.append(Diagnostic(node: parameter, message: NodeDiagnostic.duplicateInputName(inputName)))
            }
            parameters.append(
                Parameter(
                    inputName: inputName,
                    localName: local != "_" ? local : "input\(index)",
                    callLabel: label != "_" ? parameter.firstName.text : nil,
                    type: type.trimmed))
        }
        return parameters
    }

    /// The type of each output: the return type for one output, the
    /// elements of the returned tuple for several.
    private static func readOutputTypes(
        _ function: FunctionDeclSyntax, name: String, outputCount: Int, diagnostics: inout [Diagnostic]
    ) -> [TypeSyntax] {
        guard let returnType = function.signature.returnClause?.type,
            !["Void", "()", "Swift.Void"].contains(returnType.trimmedDescription)
        else {
            diagnostics.append(
                Diagnostic(node: function.signature, message: NodeDiagnostic.missingReturnType(function: name)))
            return []
        }
        guard outputCount > 1 else { return [returnType.trimmed] }
        guard let tuple = returnType.as(TupleTypeSyntax.self), tuple.elements.count > 1 else {
            diagnostics.append(
                Diagnostic(
                    node: returnType,
                    message: NodeDiagnostic.returnIsNotATuple(
                        returnType: returnType.trimmedDescription, names: outputCount)))
            return []
        }
        guard tuple.elements.count == outputCount else {
            diagnostics.append(
                Diagnostic(
                    node: returnType,
                    message: NodeDiagnostic.outputCountMismatch(names: outputCount, elements: tuple.elements.count)))
            return []
        }
        return tuple.elements.map { $0.type.trimmed }
    }

    /// The access modifier for the node: the function's, with `open` as `public`.
    private static func accessModifier(_ modifiers: DeclModifierListSyntax) -> String? {
        for modifier in modifiers {
            switch modifier.name.tokenKind {
            case .keyword(.open), .keyword(.public): return "public"
            case .keyword(.package): return "package"
            case .keyword(.internal): return "internal"
            case .keyword(.fileprivate): return "fileprivate"
            case .keyword(.private): return modifier.detail == nil ? "private" : nil
            default: continue
            }
        }
        return nil
    }
}

extension String {
    /// The identifier without the backticks that escape a keyword.
    var trimmingBackticks: String {
        hasPrefix("`") && hasSuffix("`") && count >= 2 ? String(dropFirst().dropLast()) : self
    }
}
