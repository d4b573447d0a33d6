#!/bin/sh
kubectl -n payments rollout restart deployment/payments-api
