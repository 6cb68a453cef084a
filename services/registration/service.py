"""nameko entrypoints of the registration service.

    nameko run --config deploy/nameko.yaml services.registration.service
"""
from services.registration import definition
from shared.messaging.nameko_adapter import nameko_service

RegistrationService = nameko_service(definition)
