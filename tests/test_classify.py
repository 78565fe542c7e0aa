"""Disputed services -> category and subcategory, from data/services.yml."""

from __future__ import annotations

import pytest

from generator.letters.classify import classify_service


@pytest.mark.parametrize(
    ("service", "category", "subcategory"),
    [
        # a dose written against its number is a drug, brand known or not
        ("Gabaxol 300mg #90", "pharmaceuticals", None),
        ("Sleepnol 5 mg/ml oral suspension, 200 ml", "pharmaceuticals", None),
        ("Hydrocodone/APAP 10/325mg #60", "pharmaceuticals", "opioids"),
        # therapy modalities are rehabilitation; the unit bought for home is equipment
        ("E-stim to the neck 2x4", "rehabilitation", None),
        ("Infrared therapy to the shoulder x6", "rehabilitation", None),
        ("Electrical stimulation unit, purchase", "dmepos", "tens-units"),
        ("Chiro-physio sessions x8 for the low back", "rehabilitation", "chiropractic"),
        # tests
        ("EEG", "diagnostic-testing", None),
        ("Electrocardiogram", "diagnostic-testing", None),
        ("Somatosensory evoked potentials of the legs", "diagnostic-testing",
         "electrodiagnostic"),
        ("Preoperative labs: CBC, CMP and PT/INR", "diagnostic-testing", "laboratory"),
        ("Pre-op urinalysis", "diagnostic-testing", "laboratory"),
        # an evaluation before or about surgery is not the surgery
        ("Preoperative medical clearance with internist", "evaluation-management", None),
        ("Surgical consultation for the right knee", "evaluation-management",
         "specialist-consultation"),
        ("New patient examination", "evaluation-management", None),
        ("Assistant surgeon for the fusion", "surgery", "surgical-support"),
        ("Right knee arthroscopy with pre-op labs", "surgery", "joint-surgery"),
        # equipment
        ("Neck support pillow", "dmepos", "braces-orthotics"),
        ("Knee wrap, purchase", "dmepos", "braces-orthotics"),
        ("Cold compression unit, 14 day rental", "dmepos", "cold-heat-therapy"),
        ("Hearing aids, both ears", "dmepos", None),
        ("Standing workstation", "dmepos", "home-equipment"),
        # who comes to the home
        ("Home health aide 4 hours a day", "home-health", "home-aides"),
        ("Skilled nursing visits x6 for wound checks", "home-health", "home-nursing"),
        ("LVN twice a week for dressing changes", "home-health", "home-nursing"),
        ("Partial hospitalization program, 10 days", "behavioral-mental-health", None),
        ("Percutaneous neuroplasty at L4-5", "injections", None),
    ],
)
def test_services_file_where_a_reader_looks_for_them(service, category, subcategory):
    assert classify_service(service)[:2] == (category, subcategory)
