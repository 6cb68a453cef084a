"""nameko entrypoints of the assessment service.

    nameko run --config deploy/nameko.yaml services.assessment.service
"""
from services.assessment import definition
from shared.messaging.nameko_adapter import nameko_service

AssessmentService = nameko_service(definition)
