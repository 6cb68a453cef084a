"""nameko entrypoints of the certification service.

    nameko run --config deploy/nameko.yaml services.certification.service
"""
from services.certification import definition
from shared.messaging.nameko_adapter import nameko_service

CertificationService = nameko_service(definition)
