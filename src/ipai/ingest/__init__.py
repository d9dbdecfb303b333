"""Reading patent and trademark files into the store: readers per format, the pipeline, repairs."""
