"""County of Sonoma - SEIU Local 707 MOU, 2002-2008 (and the County's telework documents).

parser (the entry point the registry names), appendix (Appendix A ranges, Appendix B
adjustments), money (premium amounts the text defines by a rule), time_off, audit (Appendix A
explained by 8.1 and Appendix B), telework (the announcement and guidelines)."""
