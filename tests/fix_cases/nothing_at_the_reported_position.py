import pytest

x = 1
