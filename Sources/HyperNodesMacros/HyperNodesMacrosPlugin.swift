import SwiftCompilerPlugin
import SwiftSyntaxMacros

/// The compiler plug-in that provides HyperNodes' macros.
@main
struct HyperNodesMacrosPlugin: CompilerPlugin {
    let providingMacros: [any Macro.Type] = [NodeMacro.self]
}
