"""Self-service (自助办理): what citizens do in the mini-program and clerks do for them.

Glossary (one English word per Chinese term, used in code, URLs and tests):
异地就医备案 → remote_care filing · 个账共济 → mutual_aid · 参保证明 → certificate ·
生育 → maternity_claim · 帮办代办 → assisted (acting_staff_id) · 补正 → correction_request ·
实名绑定 → binding · 参保人 → insured person (psn_no).
"""
