extension Duration {
    /// The duration in seconds as a double, e.g. to move a `Date` by it.
    ///
    /// The one conversion for the client's backoff and the engine's deadlines; it lives in ZohoCRM because that is
    /// the lowest module both use (RuleKit has no durations).
    public var seconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
