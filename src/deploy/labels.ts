/** The one label that ties the Deployment's pods to the Service, the HPA's target and the PDB. */
export const selectorLabels = (name: string) => ({ 'app.kubernetes.io/name': name });
