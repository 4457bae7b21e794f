/// Unicode normalisation and folding helpers for matching and scoring.
public enum TextNormalization {}
