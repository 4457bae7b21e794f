/// The mention store (placeholder until the storage work lands).
public enum StorageModule {}
