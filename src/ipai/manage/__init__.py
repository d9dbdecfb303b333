"""The disclosure-to-filing workflow: invention disclosures (交底书) through review, decision,
filing, examination and grant (:mod:`ipai.manage.workflow`), the deadlines each step sets per
jurisdiction (:mod:`ipai.manage.deadlines`) and the reminder scan over them."""
