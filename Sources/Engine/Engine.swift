/// Placeholder until the Engine module lands.
public enum EngineModule {}
