// `kubectl describe service django-psql-example` for the walkthrough's ClusterIP service, as
// kubectl lays it out (labels padded to the longest, "Session Affinity:", plus two), for the
// tests of the describe printer and of the command. test/cluster/live-kubectl.test.ts checks
// the same text against the real kubectl.
const l = (label: string) => label.padEnd(19);

export const DJANGO_DESCRIBE = [
  l('Name:') + 'django-psql-example',
  l('Namespace:') + 'test-services',
  l('Labels:') + 'app=django-psql-example',
  l('') + 'template=django-psql-example',
  l('Annotations:') + 'description: Exposes and load balances the application pods',
  l('') + 'openshift.io/generated-by: OpenShiftNewApp',
  l('') + 'service.alpha.openshift.io/dependencies: [{"name": "postgresql", "kind": "Service"}]',
  l('Selector:') + 'name=django-psql-example',
  l('Type:') + 'ClusterIP',
  l('IP Families:') + '<none>',
  l('IP:') + '172.30.85.132',
  l('IPs:') + '<none>',
  l('Port:') + 'web  8080/TCP',
  l('TargetPort:') + '8080/TCP',
  l('Endpoints:') + '10.254.4.24:8080,10.254.5.61:8080,10.254.5.66:8080',
  l('Session Affinity:') + 'None',
  l('Events:') + '<none>',
  '',
].join('\n');
