"""Pages for funds, their ledgers and loans."""

from django.urls import path

from . import views_funds as views

urlpatterns = [
    path("care/units/<int:pk>/funds/", views.unit_funds, name="unit_funds"),
    path("care/units/<int:pk>/funds/report/", views.fund_report, name="fund_report"),
    path("care/funds/<int:pk>/", views.fund_detail, name="fund_detail"),
    path("care/funds/<int:pk>/movements/new/", views.fund_entry_create, name="fund_entry_create"),
    path("care/funds/<int:pk>/allocate/", views.fund_allocate, name="fund_allocate"),
    path("care/entries/<int:pk>/reverse/", views.fund_entry_reverse, name="fund_entry_reverse"),
    path("care/units/<int:pk>/loans/", views.unit_loans, name="unit_loans"),
    path("care/units/<int:pk>/loans/new/", views.loan_create, name="loan_create"),
    path("care/loans/<int:pk>/", views.loan_detail, name="loan_detail"),
    path("care/loans/<int:pk>/decide/", views.loan_decide, name="loan_decide"),
    path("care/loans/<int:pk>/repayments/new/", views.repayment_create, name="repayment_create"),
    path("care/repayments/<int:pk>/reverse/", views.repayment_reverse, name="repayment_reverse"),
]
