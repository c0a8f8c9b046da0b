#!/usr/bin/env bash
# Installs kubectl (Debian's `kubectl` package, kustomize built in), with which the k8s module's
# tests render every overlay (`kubectl kustomize k8s/overlays/NAME`).
# Does nothing when `kubectl` is on PATH already (see install-tool.sh).
exec "$(dirname "${BASH_SOURCE[0]}")/install-tool.sh" kubectl kubectl
