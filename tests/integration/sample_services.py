"""Both sample services in one process: nameko run tests.integration.sample_services"""
from shared.messaging.nameko_adapter import nameko_service
from tests.integration import sample_sink, sample_source

SourceService = nameko_service(sample_source)
SinkService = nameko_service(sample_sink)
