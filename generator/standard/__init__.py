"""The standard and the other bundled data: clause catalogue, scoring rules, materials, industry packs."""
