"""Tests of the resources: each interface against its local and its cloud implementation."""
