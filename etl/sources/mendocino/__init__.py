"""County of Mendocino - SEIU Local 1021 MOU, 2015-2017.

parser (the entry point the registry names), tables (Attachment B grade chart, Attachment C
class list, the dated schedules derived from 7.1), time_off, audit (5% steps, biweekly = 80 x
hourly)."""
