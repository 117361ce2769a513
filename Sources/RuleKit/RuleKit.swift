/// Placeholder until the RuleKit module lands.
public enum RuleKitModule {}
