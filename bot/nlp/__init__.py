"""Russian text tools shared by the classifier, retrieval, task extraction and privacy masking."""
