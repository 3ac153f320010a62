"""Register: the diary extract and the delegationsbeslut."""
