/// Placeholder until the ZohoCRM module lands.
public enum ZohoCRMModule {}
