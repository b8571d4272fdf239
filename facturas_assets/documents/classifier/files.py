"""File names of a saved classifier (kept free of TensorFlow so anyone can import them)."""

MODEL_FILENAME = "model.keras"
SIDECAR_FILENAME = "classifier.json"
# The old design's file name. The model is saved in the native .keras format (HDF5 cannot hold the
# vectorizer's vocabulary); load_classifier accepts this name as a pointer to model.keras beside it.
LEGACY_MODEL_FILENAME = "modelo_facturas_final.h5"
