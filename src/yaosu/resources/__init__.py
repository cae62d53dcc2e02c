"""The registry of data resources (数据资源): metadata, classification, grade, versions."""
