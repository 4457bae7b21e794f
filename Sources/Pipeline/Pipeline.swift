/// The pipeline (placeholder until the pipeline work lands).
public enum PipelineModule {}
