extension CheckDescription {
    /// What `zrules explain CODE` prints: code, name, severity, summary, rationale and the examples.
    public var explanation: String {
        func indent(_ yaml: String) -> String {
            yaml.split(separator: "\n", omittingEmptySubsequences: false).map { "    " + $0 }.joined(separator: "\n")
        }
        var output = "\(code) \(name) (\(severity.rawValue))\n\n\(summary)\n\n\(rationale)\n"
        if !triggering.isEmpty {
            output += "\nReports (at ↓):\n"
            for example in triggering {
                output += "\n" + indent(example.yaml.replacingOccurrences(of: "\u{0}", with: "\\0")) + "\n"
                if example.usesMetadata { output += "    # with --metadata\n" }
            }
        }
        if !nonTriggering.isEmpty {
            output += "\nDoes not report:\n"
            for example in nonTriggering {
                output += "\n" + indent(example.yaml) + "\n"
                if example.usesMetadata { output += "    # with --metadata\n" }
            }
        }
        return output
    }
}
