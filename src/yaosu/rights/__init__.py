"""Separated data property rights: holding, processing-and-use, product-operation (数据二十条)."""
