// kube-proxy's LocalTrafficDetector (pkg/proxy/util, detect-local modes since 1.18 #87748,
// interface modes since 1.24 #95400): the words that match pod ("local") traffic and
// everything else. ClusterCIDR and NodeCIDR use the first CIDR of the proxier's family.
import type { DetectLocal } from './config.js';
import { familyOfText, type IPFamily } from '../cluster/ip.js';

export interface LocalTrafficDetector {
  implemented: boolean;
  ifLocal: string[];
  ifNotLocal: string[];
}

const NO_OP: LocalTrafficDetector = { implemented: false, ifLocal: [], ifNotLocal: [] };

export function localTrafficDetector(detect: DetectLocal, family: IPFamily): LocalTrafficDetector {
  switch (detect.mode) {
    case 'ClusterCIDR':
    case 'NodeCIDR': {
      const cidr = detect.cidrs.find((c) => familyOfText(c) === family);
      return cidr ? { implemented: true, ifLocal: ['-s', cidr], ifNotLocal: ['!', '-s', cidr] } : NO_OP;
    }
    case 'BridgeInterface':
      return { implemented: true, ifLocal: ['-i', detect.bridgeInterface!], ifNotLocal: ['!', '-i', detect.bridgeInterface!] };
    case 'InterfaceNamePrefix':
      return {
        implemented: true,
        ifLocal: ['-i', `${detect.interfaceNamePrefix}+`],
        ifNotLocal: ['!', '-i', `${detect.interfaceNamePrefix}+`],
      };
    case 'None':
      return NO_OP;
  }
}
