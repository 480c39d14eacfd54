"""The official trip report (出國報告): built from the trip and its notes, checked, written out."""
