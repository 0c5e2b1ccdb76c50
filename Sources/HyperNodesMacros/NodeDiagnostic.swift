import SwiftDiagnostics

/// An error `@Node` reports at compile time: what cannot become a node, and why.
public enum NodeDiagnostic: DiagnosticMessage, Equatable {
    /// `@Node` is attached to something other than a function.
    case notAFunction
    /// Neither `output:` nor `outputs:` is given.
    case missingOutput(function: String)
    /// An output name is the empty string.
    case emptyOutputName
    /// Two outputs have the same name.
    case duplicateOutputName(String)
    /// The function has generic parameters or a `where` clause.
    case genericFunction(function: String)
    /// A parameter's type is `some P`, which makes the function generic.
    case opaqueParameter(parameter: String)
    /// A parameter is `inout`.
    case inoutParameter(parameter: String)
    /// A parameter is variadic.
    case variadicParameter(parameter: String)
    /// A parameter is `isolated`.
    case isolatedParameter(parameter: String)
    /// A parameter has a default value, which a node would not use.
    case defaultValue(parameter: String)
    /// A parameter has neither an argument label nor a name.
    case unnamedParameter(position: Int)
    /// Two parameters give the same input name.
    case duplicateInputName(String)
    /// The function returns nothing.
    case missingReturnType(function: String)
    /// The number of output names differs from the number of tuple elements returned.
    case outputCountMismatch(names: Int, elements: Int)
    /// Several outputs are named but the function does not return a tuple.
    case returnIsNotATuple(returnType: String, names: Int)
    /// The function is an instance method.
    case instanceMethod(function: String)
    /// The function is declared inside a function, closure or other local scope.
    case localFunction(function: String)
    /// The function is a static method of a generic type or a protocol.
    case unsupportedContainer(function: String, container: String)
    /// The function has no body (a protocol requirement).
    case missingBody(function: String)
    /// The function's name is an operator.
    case operatorFunction(function: String)

    /// The text shown by the compiler.
    public var message: String {
        switch self {
        case .notAFunction:
            return "@Node applies to functions only"
        case .missingOutput(let function):
            return "@Node on '\(function)' needs an output name: write @Node(output: \"name\"), "
                + "or @Node(outputs: \"a\", \"b\") for a function that returns a tuple"
        case .emptyOutputName:
            return "an output name must not be empty"
        case .duplicateOutputName(let name):
            return "output name '\(name)' is given twice; every output of a node needs its own name"
        case .genericFunction(let function):
            return "@Node cannot make a node of generic function '\(function)': a node's input and output "
                + "types must be known when the pipeline is built; declare one function per concrete type"
        case .opaqueParameter(let parameter):
            return "parameter '\(parameter)' has an opaque 'some' type, which makes the function generic; "
                + "a node needs a concrete input type"
        case .inoutParameter(let parameter):
            return "parameter '\(parameter)' is 'inout', but a node cannot change its inputs; "
                + "take the value and return the changed one as an output"
        case .variadicParameter(let parameter):
            return "parameter '\(parameter)' is variadic, but a node input is one value; take an array instead"
        case .isolatedParameter(let parameter):
            return "parameter '\(parameter)' is 'isolated', but a node input is a plain value"
        case .defaultValue(let parameter):
            return "parameter '\(parameter)' has a default value, which a node cannot use: every input comes "
                + "from the pipeline; remove it and bind a default with pipeline.bind([\"\(parameter)\": ...])"
        case .unnamedParameter(let position):
            return "parameter \(position) has neither an argument label nor a name, so its input has no name; "
                + "name it"
        case .duplicateInputName(let name):
            return "two parameters are both input '\(name)'; a node's inputs are named by the argument label "
                + "(or, for '_', the parameter name) and must differ"
        case .missingReturnType(let function):
            return "'\(function)' returns nothing, but a node computes its outputs; return the output's value"
        case .outputCountMismatch(let names, let elements):
            return "\(names) output names are given but the function returns a tuple of \(elements) elements; "
                + "give one name per element"
        case .returnIsNotATuple(let returnType, let names):
            return "\(names) output names are given but the function returns '\(returnType)', "
                + "not a tuple of \(names) elements; write the tuple type in the signature"
        case .instanceMethod(let function):
            return "@Node cannot make a node of instance method '\(function)': a node has no instance to call "
                + "it on; make it 'static' or a free function"
        case .localFunction(let function):
            return "@Node cannot make a node of local function '\(function)'; declare it at file scope "
                + "or as a static method of a type"
        case .unsupportedContainer(let function, let container):
            return "@Node cannot make a node of '\(function)' inside \(container): its node would be a "
                + "static stored property, which Swift does not allow there; declare it at file scope "
                + "or in a non-generic type"
        case .missingBody(let function):
            return "'\(function)' has no body; @Node needs the function's code"
        case .operatorFunction(let function):
            return "@Node cannot make a node of operator '\(function)'; give the function a name"
        }
    }

    /// A stable identifier per kind of diagnostic.
    public var diagnosticID: MessageID {
        let id: String
        switch self {
        case .notAFunction: id = "notAFunction"
        case .missingOutput: id = "missingOutput"
        case .emptyOutputName: id = "emptyOutputName"
        case .duplicateOutputName: id = "duplicateOutputName"
        case .genericFunction: id = "genericFunction"
        case .opaqueParameter: id = "opaqueParameter"
        case .inoutParameter: id = "inoutParameter"
        case .variadicParameter: id = "variadicParameter"
        case .isolatedParameter: id = "isolatedParameter"
        case .defaultValue: id = "defaultValue"
        case .unnamedParameter: id = "unnamedParameter"
        case .duplicateInputName: id = "duplicateInputName"
        case .missingReturnType: id = "missingReturnType"
        case .outputCountMismatch: id = "outputCountMismatch"
        case .returnIsNotATuple: id = "returnIsNotATuple"
        case .instanceMethod: id = "instanceMethod"
        case .localFunction: id = "localFunction"
        case .unsupportedContainer: id = "unsupportedContainer"
        case .missingBody: id = "missingBody"
        case .operatorFunction: id = "operatorFunction"
        }
        return MessageID(domain: "HyperNodes", id: id)
    }

    /// Every `@Node` diagnostic is an error.
    public var severity: DiagnosticSeverity { .error }
}

/// A fix-it that `@Node` offers with a diagnostic.
public enum NodeFixIt: FixItMessage, Equatable {
    /// Adds `output: "name"` to the attribute.
    case addOutput(String)
    /// Removes `inout`.
    case removeInout
    /// Replaces `T...` with `[T]`.
    case useArray(String)
    /// Makes the method `static`.
    case makeStatic
    /// Removes a parameter's default value.
    case removeDefaultValue

    /// The text shown for the fix-it.
    public var message: String {
        switch self {
        case .addOutput(let name): return "add 'output: \"\(name)\"'"
        case .removeInout: return "remove 'inout'"
        case .useArray(let type): return "take an array '[\(type)]'"
        case .makeStatic: return "make it 'static'"
        case .removeDefaultValue: return "remove the default value"
        }
    }

    /// A stable identifier per kind of fix-it.
    public var fixItID: MessageID {
        switch self {
        case .addOutput: return MessageID(domain: "HyperNodes", id: "addOutput")
        case .removeInout: return MessageID(domain: "HyperNodes", id: "removeInout")
        case .useArray: return MessageID(domain: "HyperNodes", id: "useArray")
        case .makeStatic: return MessageID(domain: "HyperNodes", id: "makeStatic")
        case .removeDefaultValue: return MessageID(domain: "HyperNodes", id: "removeDefaultValue")
        }
    }
}
