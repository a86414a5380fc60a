"""Contra Costa County - AFSCME Local 2700 Letter of Understanding, 1993-1995 (one OCR line;
no salary table): parser."""
