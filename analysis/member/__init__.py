"""What one member sees: their pay from a hire date or a step (pay.py, the My pay page), the
figures of their class at every step (class_figures.py, shared by My pay and the member site)
and the warehouse rows behind those figures, read once per agency (data.py).

`analysis.member.my_pay` stays the entry point of the My pay page.
"""

from analysis.member.pay import MemberPay, my_pay

__all__ = ["MemberPay", "my_pay"]
