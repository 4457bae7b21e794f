import TextAnalysis

/// Scores the sentiment of short texts in Spanish, Italian and English.
public struct SentimentAnalyzer: Sendable {}
